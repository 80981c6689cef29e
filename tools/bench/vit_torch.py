#!/usr/bin/env python3
"""The PyTorch CPU peer of `./sparse-tune bench-model`: whole-model cases on the project's independent
reference model (tools/torchref), driven through tools/bench/peer_server.py's protocol.

A case: {"kind": inference|train, "method": sparse-tuning|adaptformer|full|..., "keep_rate", "adapter_dim",
         "batch", "img_size", "embed_dim", "depth", "num_heads", "num_frames", "tubelet_size"}
num_frames 0 (or absent) is an image model fed [B, 3, H, W]; num_frames T > 0 is the clip model of SPEC H
(tools/torchref: a Conv3d tubelet embedding with kernel = stride = t x P x P, 1 + (T/t)(H/P)(W/P) tokens, the
rest of the model unchanged) fed [B, 3, T, H, W].
One timed call: inference is a forward pass under no_grad in eval mode; a training step is forward,
cross-entropy, backward and an AdamW step over the trainable tensors (as the engine's step).

The Java side starts this script with a fair environment (no OPENBLAS_CORETYPE, no malloc tuning,
OMP_WAIT_POLICY=PASSIVE, thread counts set) and asks "info" so the report shows the BLAS kernel that ran. For
memory it starts a fresh process per case, sets the case up, runs it, and asks "rss" (VmHWM of the whole
process, the Python runtime included, and the resident memory before the case for reference).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torchref"))

import torch  # noqa: E402

import peer_server  # noqa: E402
from config import make_config  # noqa: E402
from model import PeftModel, cross_entropy  # noqa: E402


def build(case):
    method = case["method"]
    raw = {"img_size": case.get("img_size", 224), "embed_dim": case.get("embed_dim", 768),
           "depth": case.get("depth", 12), "num_heads": case.get("num_heads", 12), "num_classes": 100,
           "method": "linear-probe" if method == "full" else method,
           "keep_rate": case.get("keep_rate", 1.0),
           "num_frames": case.get("num_frames", 0), "tubelet_size": case.get("tubelet_size", 2)}
    if method in ("sparse-tuning", "adaptformer") and "adapter_dim" in case:
        raw["adapter_dim"] = case["adapter_dim"]
    if method == "full" or raw["keep_rate"] >= 1.0:
        raw["ts_layers"] = []
    model = PeftModel(make_config(raw))
    if method == "full":
        for p in model.backbone.parameters():
            p.requires_grad_(True)
    g = torch.Generator().manual_seed(1)
    for name, p in model.trainable.named_parameters():   # non-zero adapters: every path carries signal
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def setup(case):
    torch.manual_seed(0)
    model = build(case)
    b, size = case["batch"], case.get("img_size", 224)
    frames = case.get("num_frames", 0)
    images = torch.randn(b, 3, frames, size, size) if frames else torch.randn(b, 3, size, size)
    labels = torch.randint(0, 100, (b,))
    params = [p for p in model.parameters() if p.requires_grad]
    if case["kind"] == "inference":
        model.eval()

        def step():
            with torch.no_grad():
                model(images)
        return step
    model.train()
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.05)

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = cross_entropy(model(images), labels)
        loss.backward()
        opt.step()
    return train_step


def describe():
    return peer_server.torch_info(torch)


def main():
    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    torch.matmul(torch.ones(8, 8), torch.ones(8, 8))   # loads the BLAS so "info" can name its kernel
    peer_server.mark_baseline()
    peer_server.serve(setup, describe)


if __name__ == "__main__":
    main()
