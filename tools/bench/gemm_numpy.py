#!/usr/bin/env python3
"""Peer timing for the engine's GEMM benchmark: numpy float32 matmul (OpenBLAS) on the ViT-B shapes.

Prints one JSON line per shape with GFLOP/s = 2*M*N*K / seconds (best-of and median of repeats).
Set the BLAS thread count from outside, e.g. OPENBLAS_NUM_THREADS=2 python3 tools/bench/gemm_numpy.py
Options: --batches 1,8  --layouts normal,transposed  --seconds 1.0 (time per shape)
         --coretype auto|native|NAME: OpenBLAS kernel set. numpy's DYNAMIC_ARCH OpenBLAS does not recognise
         Zen 5 and falls back to its AVX2 "Haswell" kernels (half the AVX-512 peak); "auto" (default) sets
         OPENBLAS_CORETYPE=SkylakeX on CPUs with AVX-512 so the peer runs its AVX-512 kernels, "native" leaves
         OpenBLAS's own choice. The kernel set used is printed as "core".
"""
import argparse
import ctypes
import glob
import json
import os
import sys
import time


def choose_coretype(arg):
    if arg == "native" or "OPENBLAS_CORETYPE" in os.environ:
        return
    if arg != "auto":
        os.environ["OPENBLAS_CORETYPE"] = arg
        return
    try:
        with open("/proc/cpuinfo") as f:
            if " avx512f" in f.read():
                os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    except OSError:
        pass


def openblas_core(np):
    """The kernel set OpenBLAS picked (e.g. Haswell, SkylakeX), or "unknown"."""
    base = os.path.dirname(np.__file__)
    for lib in glob.glob(os.path.join(base, "..", "numpy.libs", "*openblas*")):
        dll = ctypes.CDLL(lib)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            f = getattr(dll, name, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                return f().decode()
    return "unknown"

SHAPES = [(768, 2304), (768, 768), (768, 3072), (3072, 768)]  # K x N of the ViT-B linear layers


def measure(fn, seconds):
    fn()  # warm up (first call allocates and spins up BLAS threads)
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0], times[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batches", default="1,8")
    p.add_argument("--layouts", default="normal,transposed")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--coretype", default="auto")
    args = p.parse_args()
    choose_coretype(args.coretype)  # must precede loading numpy (and so OpenBLAS)
    import numpy as np
    core = openblas_core(np)
    rng = np.random.default_rng(0)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    for batch in [int(b) for b in args.batches.split(",")]:
        m = 197 * batch
        for k, n in SHAPES:
            a = rng.standard_normal((m, k), dtype=np.float32)
            for layout in args.layouts.split(","):
                # "transposed": the weight is stored [N, K] and used as w.T, as in torch.nn.Linear.
                w = rng.standard_normal((k, n) if layout == "normal" else (n, k), dtype=np.float32)
                wm = w if layout == "normal" else w.T
                out = np.empty((m, n), dtype=np.float32)
                best, median = measure(lambda: np.matmul(a, wm, out=out), args.seconds)
                flop = 2.0 * m * n * k
                print(json.dumps({"engine": "numpy-openblas", "threads": threads, "core": core, "B": batch, "M": m, "K": k,
                                  "N": n, "layout": layout, "gflops_best": round(flop / best / 1e9, 1),
                                  "gflops_median": round(flop / median / 1e9, 1)}), flush=True)


if __name__ == "__main__":
    main()
