"""One forward + backward in training mode (dropout off) -> trace.safetensors (SPEC G).

    python3 trace.py CONFIG.json BACKBONE.safetensors WEIGHTS.safetensors INPUT.safetensors OUT.safetensors

Computed in float64 from the stored (F32) values, written as F32 (indices I64)."""
import sys

import numpy as np
import torch

import st
from config import input_shape, is_clip, load_config
from model import PeftModel, cross_entropy


def build_model(cfg, backbone, weights, dtype=torch.float64):
    model = PeftModel(cfg).to(dtype)
    model.load_backbone(backbone)
    model.load_trainable(weights)
    model.train()   # no dropout modules exist; train() only matters for the bn-linear head
    return model


def run_trace(cfg, backbone, weights, inputs, dtype=torch.float64):
    """Returns (trace dict of numpy arrays, model) for one forward/backward."""
    model = build_model(cfg, backbone, weights, dtype)
    images = torch.from_numpy(np.asarray(inputs["images"]).astype(np.float64)).to(dtype)
    labels = torch.from_numpy(np.asarray(inputs["labels"]).astype(np.int64))
    expect = input_shape(cfg, images.shape[0] if images.dim() else 1)
    if tuple(images.shape) != expect:
        layout = "[B, C, T, H, W]" if is_clip(cfg) else "[B, C, H, W]"
        raise ValueError(f"input images: expected {layout} = {['B'] + list(expect[1:])}, got {list(images.shape)}")
    if labels.shape != (images.shape[0],):
        raise ValueError(f"input labels: expected [{images.shape[0]}], got {list(labels.shape)}")
    logits = model(images)
    loss = cross_entropy(logits, labels)
    params = model.trainable_named()
    grads = torch.autograd.grad(loss, list(params.values()), allow_unused=True)
    trace = {"logits": logits.detach().numpy().astype(np.float32),
             "loss": np.array([loss.item()], dtype=np.float32)}
    for layer, kept in model.kept().items():
        trace[f"kept.{layer}"] = kept.numpy().astype(np.int64)
    for (name, p), g in zip(params.items(), grads):
        g = torch.zeros_like(p) if g is None else g
        trace[f"grad.{name}"] = g.detach().numpy().astype(np.float32)
    return trace, model


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    cfg = load_config(argv[1])
    trace, _ = run_trace(cfg, st.load(argv[2]), st.load(argv[3]), st.load(argv[4]))
    st.save(argv[5], trace)
    print(f"wrote {argv[5]}: loss {trace['loss'][0]:.6f}, {len(trace)} tensors")


if __name__ == "__main__":
    main(sys.argv)
