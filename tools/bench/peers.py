#!/usr/bin/env python3
"""Times the benchmark report's operations in OpenBLAS (through numpy) and PyTorch CPU.

Reads a JSON list of cases on stdin, writes one JSON object per case on stdout:
  {"id": ..., "numpy_s": seconds or null, "torch_s": seconds or null, "note": ...}
Each case: {"id", "op": gemm|softmax|layernorm|gelu, "shape": [...], "threads": n, "layout": normal|transposed}
The caller sets OPENBLAS_NUM_THREADS/OMP_NUM_THREADS/OMP_WAIT_POLICY=PASSIVE for the thread count; this
script also calls torch.set_num_threads so torch and OpenBLAS agree.
"""
import json
import os
import sys
import time


def best_time(fn, min_seconds=0.3, min_runs=5):
    """Median of timed runs after warm-up, each run long enough to time reliably."""
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= 200:
            break
    times.sort()
    return times[len(times) // 2]


def numpy_case(np, case):
    rng = np.random.default_rng(0)
    op, shape = case["op"], case["shape"]
    if op == "gemm":
        m, k, n = shape
        a = rng.standard_normal((m, k), dtype=np.float32)
        if case.get("layout") == "transposed":
            w = rng.standard_normal((n, k), dtype=np.float32)
            b = w.T
        else:
            b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        return best_time(lambda: np.matmul(a, b, out=c))
    return None  # numpy has no fused softmax/layer norm/GELU worth comparing with


def torch_case(torch, case):
    op, shape = case["op"], case["shape"]
    g = torch.Generator().manual_seed(0)
    if op == "gemm":
        m, k, n = shape
        a = torch.randn(m, k, generator=g)
        if case.get("layout") == "transposed":
            b = torch.randn(n, k, generator=g).t()
        else:
            b = torch.randn(k, n, generator=g)
        c = torch.empty(m, n)
        return best_time(lambda: torch.matmul(a, b, out=c))
    x = torch.randn(*shape, generator=g)
    if op == "softmax":
        return best_time(lambda: torch.softmax(x, dim=-1))
    if op == "layernorm":
        w = torch.randn(shape[-1], generator=g)
        b = torch.randn(shape[-1], generator=g)
        return best_time(lambda: torch.nn.functional.layer_norm(x, (shape[-1],), w, b, 1e-6))
    if op == "gelu":
        return best_time(lambda: torch.nn.functional.gelu(x))
    raise ValueError("unknown op " + op)


def main():
    cases = json.load(sys.stdin)
    try:
        import numpy as np
    except ImportError:
        np = None
    try:
        import torch
        torch.set_grad_enabled(False)
    except ImportError:
        torch = None
    blas = None
    if np is not None:
        try:
            cfg = np.__config__
            blas = "openblas" if "openblas" in str(getattr(cfg, "blas_opt_info", "")) + str(getattr(cfg, "openblas_info", "")) else None
        except Exception:
            blas = None
    for case in cases:
        threads = case["threads"]
        out = {"id": case["id"], "numpy_s": None, "torch_s": None}
        if torch is not None:
            torch.set_num_threads(threads)
        if np is not None:
            out["numpy_s"] = numpy_case(np, case)
        if torch is not None:
            out["torch_s"] = torch_case(torch, case)
        print(json.dumps(out), flush=True)
    info = {"id": "_info", "numpy": None if np is None else np.__version__,
            "torch": None if torch is None else torch.__version__,
            "blas_library": _blas_library()}
    print(json.dumps(info), flush=True)


def _blas_library():
    """Which BLAS the numpy here really loads (Debian switches it through alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if ".so" in line}
        for lib in sorted(libs):
            base = os.path.basename(lib)
            if "openblas" in base or "libblas" in base or "mkl" in base:
                return lib
    except OSError:
        pass
    return None


if __name__ == "__main__":
    main()
