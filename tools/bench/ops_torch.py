#!/usr/bin/env python3
"""PyTorch CPU timings for the shapes of SoftmaxBench, LayerNormBench and GeluBench.

Prints one JSON object per line: {"op", "batch", "channels", "threads", "seconds"} with seconds per call
(median of repeated timed loops). Run with the Debian build of torch:
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/bench/ops_torch.py [--threads 1 2] [--quick]
"""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402


def seconds_per_call(fn, min_time):
    for _ in range(3):
        fn()
    runs = []
    for _ in range(5):
        n = 0
        start = time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        runs.append(elapsed / n)
    runs.sort()
    return runs[len(runs) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--min-time", type=float, default=0.3)
    args = ap.parse_args()
    torch.manual_seed(0)
    for threads in args.threads:
        torch.set_num_threads(threads)
        for b in args.batches:
            x = torch.randn(b, 12, 197, 197, dtype=torch.float32)
            s = seconds_per_call(lambda: torch.softmax(x, dim=-1), args.min_time)
            print(json.dumps({"op": "softmax", "batch": b, "channels": 197, "threads": threads, "seconds": s}), flush=True)
            for c in (768, 3072):
                x = torch.randn(197 * b, c, dtype=torch.float32)
                w = torch.randn(c, dtype=torch.float32)
                bias = torch.randn(c, dtype=torch.float32)
                dy = torch.randn(197 * b, c, dtype=torch.float32)
                out = torch.empty_like(x)
                s = seconds_per_call(lambda: torch.nn.functional.layer_norm(x, (c,), w, bias, 1e-6), args.min_time)
                print(json.dumps({"op": "layernorm_forward", "batch": b, "channels": c, "threads": threads, "seconds": s}), flush=True)
                # Backward of layer norm alone: aten's native_layer_norm_backward, as autograd calls it.
                _, mean, rstd = torch.native_layer_norm(x, (c,), w, bias, 1e-6)
                mask = [True, True, True]
                s = seconds_per_call(lambda: torch.ops.aten.native_layer_norm_backward(dy, x, (c,), mean, rstd, w, bias, mask), args.min_time)
                print(json.dumps({"op": "layernorm_backward", "batch": b, "channels": c, "threads": threads, "seconds": s}), flush=True)
                s = seconds_per_call(lambda: torch._C._nn.gelu(x, out=out), args.min_time)
                print(json.dumps({"op": "gelu_forward", "batch": b, "channels": c, "threads": threads, "seconds": s}), flush=True)
                s = seconds_per_call(lambda: torch.ops.aten.gelu_backward(dy, x), args.min_time)
                print(json.dumps({"op": "gelu_backward", "batch": b, "channels": c, "threads": threads, "seconds": s}), flush=True)


if __name__ == "__main__":
    main()
