#!/usr/bin/env python3
"""Peer timing for the engine's GEMM benchmark: numpy float32 matmul (OpenBLAS) on the ViT-B shapes.

Prints one JSON line per shape with GFLOP/s = 2*M*N*K / seconds (best-of and median of repeats).
Set the BLAS thread count from outside, e.g. OPENBLAS_NUM_THREADS=2 python3 tools/bench/gemm_numpy.py
Options: --batches 1,8  --layouts normal,transposed  --seconds 1.0 (time per shape)
         --coretype native|NAME: OpenBLAS kernel set. "native" (default) drops an inherited OPENBLAS_CORETYPE
         and OPENBLAS_L2_SIZE so OpenBLAS picks its kernels for this CPU (Cooperlake, AVX-512, on the project's
         machine; an inherited OPENBLAS_CORETYPE=Haswell ran AVX2 kernels at half speed); NAME forces one.
         The kernel set used is printed as "core". `./sparse-tune bench` is the fair, alternated comparison;
         this script is a quick standalone check.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peer_server  # noqa: E402


def choose_coretype(arg):
    os.environ.pop("OPENBLAS_CORETYPE", None)
    os.environ.pop("OPENBLAS_L2_SIZE", None)
    if arg != "native":
        os.environ["OPENBLAS_CORETYPE"] = arg


def openblas_core(np):
    """The kernel set OpenBLAS picked (e.g. Cooperlake, Haswell), asked of the library this process loaded."""
    np.matmul(np.ones((8, 8), np.float32), np.ones((8, 8), np.float32))
    return peer_server.blas_core()

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
    p.add_argument("--coretype", default="native")
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
