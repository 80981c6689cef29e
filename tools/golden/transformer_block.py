#!/usr/bin/env python3
"""Golden fixtures for the autograd module, computed with PyTorch in float64.

Writes, under autograd/src/test/resources/golden/:
  transformer_block.json  one pre-norm ViT block (timm layout and parameter names), forward and backward
  cross_entropy.json      cross-entropy with label smoothing, forward and backward

The Java tests read these files; Python is needed only to regenerate them:
  python3 tools/golden/transformer_block.py        (Debian: apt-get install python3-torch)
"""
import json
import math
import os

import torch
import torch.nn.functional as F

B, N, D, HEADS, MLP = 2, 5, 16, 4, 32
EPS = 1e-6
SEED = 1234

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "autograd", "src", "test", "resources", "golden")


def block(x, p):
    """x + attn(norm1(x)), then + mlp(norm2(.)), written out op by op."""
    b, n, d = x.shape
    hd = d // HEADS
    h = F.layer_norm(x, (d,), p["norm1.weight"], p["norm1.bias"], EPS)
    qkv = F.linear(h, p["attn.qkv.weight"], p["attn.qkv.bias"])
    qkv = qkv.reshape(b, n, 3, HEADS, hd).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    attn = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(hd), dim=-1)
    o = (attn @ v).transpose(1, 2).reshape(b, n, d)
    x = x + F.linear(o, p["attn.proj.weight"], p["attn.proj.bias"])
    m = F.gelu(F.linear(F.layer_norm(x, (d,), p["norm2.weight"], p["norm2.bias"], EPS),
                        p["mlp.fc1.weight"], p["mlp.fc1.bias"]))  # exact erf GELU
    return x + F.linear(m, p["mlp.fc2.weight"], p["mlp.fc2.bias"])


def entry(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def write(name, doc):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


def transformer_block():
    g = torch.Generator().manual_seed(SEED)

    def randn(*shape, scale=1.0):
        return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).requires_grad_()

    params = {
        "norm1.weight": (1 + randn(D, scale=0.1)).detach().requires_grad_(),
        "norm1.bias": randn(D, scale=0.1),
        "attn.qkv.weight": randn(3 * D, D, scale=D ** -0.5),
        "attn.qkv.bias": randn(3 * D, scale=0.1),
        "attn.proj.weight": randn(D, D, scale=D ** -0.5),
        "attn.proj.bias": randn(D, scale=0.1),
        "norm2.weight": (1 + randn(D, scale=0.1)).detach().requires_grad_(),
        "norm2.bias": randn(D, scale=0.1),
        "mlp.fc1.weight": randn(MLP, D, scale=D ** -0.5),
        "mlp.fc1.bias": randn(MLP, scale=0.1),
        "mlp.fc2.weight": randn(D, MLP, scale=MLP ** -0.5),
        "mlp.fc2.bias": randn(D, scale=0.1),
    }
    x = randn(B, N, D)
    loss_weights = torch.randn(B, N, D, generator=g, dtype=torch.float64)
    out = block(x, params)
    (out * loss_weights).sum().backward()
    tensors = {"x": entry(x), "loss_weights": entry(loss_weights), "output": entry(out), "grad.x": entry(x.grad)}
    for name, t in params.items():
        tensors[name] = entry(t)
        tensors["grad." + name] = entry(t.grad)
    write("transformer_block.json", {
        "about": "pre-norm transformer block, float64, loss = sum(output * loss_weights); see tools/golden/transformer_block.py",
        "torch": torch.__version__, "seed": SEED,
        "config": {"batch": B, "tokens": N, "dim": D, "heads": HEADS, "mlp": MLP, "eps": EPS},
        "tensors": tensors,
    })


def cross_entropy():
    g = torch.Generator().manual_seed(SEED + 1)
    logits = torch.randn(4, 6, generator=g, dtype=torch.float64).requires_grad_()
    labels = torch.tensor([5, 0, 2, 2])
    smoothing = 0.1
    loss = F.cross_entropy(logits, labels, label_smoothing=smoothing)
    loss.backward()
    write("cross_entropy.json", {
        "about": "mean cross-entropy with label smoothing, float64; see tools/golden/transformer_block.py",
        "torch": torch.__version__, "smoothing": smoothing, "labels": labels.tolist(),
        "tensors": {"logits": entry(logits), "loss": entry(loss), "grad.logits": entry(logits.grad)},
    })


if __name__ == "__main__":
    transformer_block()
    cross_entropy()
