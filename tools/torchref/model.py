"""Frozen backbone + a method's trainable tensors, named exactly as in the weights file."""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from adaptformer import AdaptFormer
from code_adapter import CodeAdapters
from config import grid_patches, is_clip, num_patches, time_steps
from dense_adapter import DenseAdapters
from kadaptation import KAdaptation
from lora import LoRA
from pos_embed import grid_of, resample_pos_embed
from token_sparsification import Sparsifier
from vit import Hooks, VisionTransformer


class _Composite(Hooks):
    """TS (if any) decides the token set; the method adds its deltas/adapters."""

    def __init__(self, sparsifier, method):
        self.sparsifier, self.method = sparsifier, method

    def begin(self, x):
        if self.sparsifier:
            self.sparsifier.begin(x)
        self.method.begin(x)

    def attn_deltas(self, i, xn):
        return self.method.attn_deltas(i, xn)

    def after_attention(self, i, y, probs):
        return self.sparsifier.after_attention(i, y, probs) if self.sparsifier else y

    def parallel(self, i, y, yn):
        return self.method.parallel(i, y, yn)

    def after_block(self, i, x):
        return self.method.after_block(i, x)


class PeftModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.backbone = VisionTransformer.from_config(cfg)
        for p in self.backbone.parameters():
            p.requires_grad_(False)
        tree = nn.Module()       # parameter names under `tree` are the interchange names
        tree.blocks = nn.ModuleList([nn.Module() for _ in range(cfg["depth"])])
        tree.head = nn.Linear(cfg["embed_dim"], cfg["num_classes"])
        self.trainable = tree
        self.sparsifier = None
        if cfg["ts_layers"]:
            self.sparsifier = Sparsifier(cfg["keep_rate"], cfg["ts_layers"], cfg["fusion"], num_patches(cfg))
        method = cfg["method"]
        if method == "sparse-tuning":
            m = DenseAdapters(tree, cfg, self.sparsifier) if cfg["dense_mode"] == "paper" else CodeAdapters(tree, cfg)
        elif method == "lora":
            m = LoRA(tree, cfg)
        elif method == "adaptformer":
            m = AdaptFormer(tree, cfg)
        elif method == "kadaptation":
            m = KAdaptation(tree, cfg)
        else:   # token-sparsification, linear-probe: head only
            m = Hooks()
        self.hooks = _Composite(self.sparsifier, m)
        # BatchNorm1d(affine=False) before the head (official code's MAE trick): no trainable tensors
        self.head_norm = nn.BatchNorm1d(cfg["embed_dim"], affine=False, eps=1e-6) \
            if cfg["head_mode"] == "bn-linear" else None

    def trainable_named(self):
        return dict(self.trainable.named_parameters())

    def forward(self, images):
        feat = self.backbone.forward_features(images, self.hooks)
        if self.head_norm is not None:
            feat = self.head_norm(feat)
        return self.trainable.head(feat)

    def kept(self):
        """{layer: [B, k] LongTensor} of the last forward."""
        return dict(self.sparsifier.tracker.kept) if self.sparsifier else {}

    # ---- loading -------------------------------------------------------------------------------
    def load_backbone(self, tensors):
        tensors = fit_backbone(tensors, self.cfg)
        _load_into(self.backbone, tensors, "backbone", ignore=("head.weight", "head.bias",
                                                               "pre_logits.fc.weight", "pre_logits.fc.bias"))

    def load_trainable(self, tensors):
        _load_into(self.trainable, tensors, "weights", ignore=())


def fit_backbone(tensors, cfg):
    """The backbone tensors fitted to the model's embedding.

    - pos_embed resampled bicubically when only the patch grid differs (SPEC E.3); a clip backbone's pos_embed
      is resampled per time step.
    - An image backbone (4-D patch kernel, spatial pos_embed) given to a clip model is inflated (SPEC H): the
      kernel repeated over the t frames of a tubelet and divided by t, the spatial position embedding (CLS
      entry excluded) repeated for every time step, time outermost, CLS entry kept. Resizing comes first.
    """
    out = dict(tensors)
    kernel = tensors.get("patch_embed.proj.weight")
    inflate = is_clip(cfg) and kernel is not None and np.ndim(kernel) == 4
    pos = tensors.get("pos_embed")
    if pos is not None:
        out["pos_embed"] = _fit_pos_grid(pos, cfg, time_steps(cfg) if is_clip(cfg) and not inflate else 1)
    if inflate:
        tub = cfg["tubelet_size"]
        w2 = torch.from_numpy(np.asarray(kernel, dtype=np.float64))
        out["patch_embed.proj.weight"] = torch.stack([w2 / tub] * tub, dim=2).numpy()
        pos = out.get("pos_embed")
        if pos is not None and pos.ndim == 3 and pos.shape[1] == grid_patches(cfg) + 1:
            p = torch.from_numpy(np.asarray(pos, dtype=np.float64))
            steps = [p[:, 1:]] * time_steps(cfg)
            out["pos_embed"] = torch.cat([p[:, :1]] + steps, dim=1).numpy()
        print(f"backbone: image backbone inflated for clips (kernel over t = {tub} frames / t, pos_embed over "
              f"{time_steps(cfg)} time steps)", file=sys.stderr)
    return out


def _fit_pos_grid(pos, cfg, steps):
    grid = cfg["img_size"] // cfg["patch_size"]
    want = steps * grid * grid + 1
    if pos.ndim != 3 or pos.shape[1] == want or pos.shape[2] != cfg["embed_dim"] or (pos.shape[1] - 1) % steps:
        return pos
    p = torch.from_numpy(np.asarray(pos, dtype=np.float64))
    per = (pos.shape[1] - 1) // steps
    cls = p[:, :1]
    parts = [cls]
    for s in range(steps):
        one = torch.cat([cls, p[:, 1 + s * per:1 + (s + 1) * per]], dim=1)
        parts.append(resample_pos_embed(one, grid)[:, 1:])
    print(f"backbone: pos_embed resized from a {grid_of(per + 1)}x{grid_of(per + 1)} to a {grid}x{grid} "
          f"patch grid (bicubic, align_corners=False, no antialias){f', per time step' if steps > 1 else ''}",
          file=sys.stderr)
    return torch.cat(parts, dim=1).numpy()


def _load_into(module, tensors, what, ignore):
    params = dict(module.named_parameters())
    missing = sorted(set(params) - set(tensors))
    extra = sorted(set(tensors) - set(params) - set(ignore))
    if missing or extra:
        raise ValueError(f"{what} file: missing tensors {missing}, unexpected tensors {extra}")
    with torch.no_grad():
        for name, p in params.items():
            src = np.asarray(tensors[name])
            if tuple(src.shape) != tuple(p.shape):
                raise ValueError(f"{what} file: tensor {name} has shape {tuple(src.shape)}, "
                                 f"expected {tuple(p.shape)}")
            p.copy_(torch.from_numpy(src.astype(np.float64)).to(p.dtype))


def cross_entropy(logits, labels):
    return F.cross_entropy(logits, labels, reduction="mean")
