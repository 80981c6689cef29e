#!/usr/bin/env python3
"""The peers of `./sparse-tune bench`: one operation at a time in OpenBLAS through numpy (--lib numpy) or in
PyTorch CPU (--lib torch), driven through tools/bench/peer_server.py's protocol (the Java side warms up,
alternates engine and peer repetitions and computes the statistics).

A case: {"op": gemm|softmax|layernorm|gelu|add, "shape": [...], "layout": normal|transposed, "weight": fixed|changing}
GEMM: out[M, N] = a[M, K] · w, w stored [K, N] ("normal") or [N, K] and used transposed (torch.nn.Linear's
layout). "changing": two different weights alternate call by call, so nothing derived from a weight (a packed
copy) can be reused, as in full fine-tuning where the weight changes every step. numpy has no fused
softmax, layer norm or GELU worth comparing with, so it serves GEMM only.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peer_server  # noqa: E402


def gemm_operands(rand, case):
    m, k, n = case["shape"]
    a = rand((m, k))
    count = 2 if case.get("weight") == "changing" else 1
    if case.get("layout") == "transposed":
        ws = [rand((n, k)).T for _ in range(count)]
    else:
        ws = [rand((k, n)) for _ in range(count)]
    return a, ws, (m, n)


def numpy_setup(np):
    rng = np.random.default_rng(0)

    def rand(shape):
        return rng.standard_normal(shape, dtype=np.float32)

    def setup(case):
        if case["op"] != "gemm":
            raise ValueError("numpy serves gemm only, not " + case["op"])
        a, ws, out_shape = gemm_operands(rand, case)
        c = np.empty(out_shape, dtype=np.float32)
        turn = [0]

        def step():
            turn[0] ^= 1
            np.matmul(a, ws[turn[0] % len(ws)], out=c)
        return step
    return setup


def torch_setup(torch):
    g = torch.Generator().manual_seed(0)

    def rand(shape):
        return torch.randn(*shape, generator=g)

    def setup(case):
        op, shape = case["op"], case["shape"]
        if op == "gemm":
            a, ws, out_shape = gemm_operands(rand, case)
            c = torch.empty(*out_shape)
            turn = [0]

            def step():
                turn[0] ^= 1
                torch.matmul(a, ws[turn[0] % len(ws)], out=c)
            return step
        x = rand(shape)
        if op == "softmax":
            return lambda: torch.softmax(x, dim=-1)
        if op == "layernorm":
            w, b = rand((shape[-1],)), rand((shape[-1],))
            return lambda: torch.nn.functional.layer_norm(x, (shape[-1],), w, b, 1e-6)
        if op == "gelu":
            return lambda: torch.nn.functional.gelu(x)
        if op == "add":
            y = rand(shape)
            return lambda: torch.add(x, y)
        raise ValueError("unknown op " + op)
    return setup


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lib", choices=["numpy", "torch"], required=True)
    args = p.parse_args()
    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    if args.lib == "numpy":
        import numpy as np
        np.matmul(np.ones((8, 8), np.float32), np.ones((8, 8), np.float32))   # loads the BLAS so "info" names its kernel
        peer_server.mark_baseline()
        peer_server.serve(numpy_setup(np), lambda: {"numpy": np.__version__, "threads": threads})
    else:
        import torch
        torch.set_grad_enabled(False)
        if threads > 0:
            torch.set_num_threads(threads)
        torch.matmul(torch.ones(8, 8), torch.ones(8, 8))
        peer_server.mark_baseline()
        peer_server.serve(torch_setup(torch), lambda: peer_server.torch_info(torch))


if __name__ == "__main__":
    main()
