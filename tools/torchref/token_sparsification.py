"""Token Sparsification (SPEC A.2): keep the top-k non-CLS tokens by CLS attentiveness, fuse the rest.

The CLS weights `a` are NOT detached: gradients of the fused token reach q_cls and k_j through them.
The same stored selection re-sparsifies earlier Dense Adapter outputs (SPEC A.3, S(.)).
"""
from dataclasses import dataclass

import torch

from config import keep_count

FUSIONS = ("sum", "weighted-average", "drop")


def cls_attentiveness(probs):
    """a[b, j] = mean over heads of P[b, h, 0, 1+j]; full softmax over all keys, not renormalised."""
    return probs[:, :, 0, 1:].mean(dim=1)


@dataclass
class Selection:
    layer: int               # 1-based layer where it was made
    idx: torch.Tensor        # [B, k] kept positions among the non-CLS tokens, descending score (torch.topk)
    compl: torch.Tensor      # [B, n-1-k] the other positions, ascending
    weights: torch.Tensor    # [B, n-1] CLS attentiveness a (part of the autograd graph)
    fusion: str


def select(a, k, layer, fusion, kept_order="score"):
    """Top-k of `a` per sample (descending score, or ascending position if kept_order="position");
    the complement in ascending order. The order of kept tokens does not change the model's output."""
    if fusion not in FUSIONS:
        raise ValueError(f"fusion must be one of {FUSIONS}, got {fusion!r}")
    n = a.shape[1]
    idx = torch.topk(a, k, dim=1, largest=True, sorted=True).indices
    if kept_order == "position":
        idx = torch.sort(idx, dim=1).values
    mask = torch.ones_like(a, dtype=torch.bool)
    mask.scatter_(1, idx, False)
    compl = torch.arange(n, device=a.device).expand_as(a)[mask].reshape(a.shape[0], n - k)
    return Selection(layer, idx, compl, a, fusion)


def _gather_tokens(z, positions):
    return torch.gather(z, 1, positions.unsqueeze(-1).expand(-1, -1, z.shape[-1]))


def apply_selection(z, sel):
    """S(z) = [z_cls, z[1+idx], fused], fused = sum_{j in compl} a_j z[1+j] (divided by sum a_j for
    weighted-average; absent for drop)."""
    cls, rest = z[:, :1], z[:, 1:]
    if rest.shape[1] != sel.weights.shape[1]:
        raise ValueError(f"selection of layer {sel.layer} expects {sel.weights.shape[1]} non-CLS tokens, "
                         f"got {rest.shape[1]}")
    kept = _gather_tokens(rest, sel.idx)
    if sel.fusion == "drop":
        return torch.cat([cls, kept], dim=1)
    w = torch.gather(sel.weights, 1, sel.compl)                        # [B, m]
    fused = (w.unsqueeze(-1) * _gather_tokens(rest, sel.compl)).sum(dim=1, keepdim=True)
    if sel.fusion == "weighted-average":
        fused = fused / w.sum(dim=1).reshape(-1, 1, 1)
    return torch.cat([cls, kept, fused], dim=1)


def sparsify(y, probs, keep_rate, layer, fusion, kept_order="score"):
    """One TS step on y = x + MHSA(LN1(x)). Returns (new tokens, Selection or None if nothing changes)."""
    n_candidates = y.shape[1] - 1
    k = keep_count(keep_rate, n_candidates)
    if k >= n_candidates:
        return y, None
    sel = select(cls_attentiveness(probs), k, layer, fusion, kept_order)
    return apply_selection(y, sel), sel


class TokenTracker:
    """Follows the original patch index of every non-CLS token (-1 for a fused token) so the trace can
    report `kept.{N}`, and keeps the selections for re-sparsifying earlier adapter outputs."""

    def __init__(self, batch, num_patches, device):
        self.origin = torch.arange(num_patches, device=device).expand(batch, -1).clone()
        self.selections = []     # the selections that changed the sequence, in order
        self.kept = {}           # layer -> [B, k] original patch indices, rows ascending

    def record(self, layer, sel):
        if sel is None:  # keep rate 1: every token is kept
            self.kept[layer] = torch.sort(self.origin, dim=1).values
            return
        kept = torch.gather(self.origin, 1, sel.idx)
        self.kept[layer] = torch.sort(kept, dim=1).values
        if sel.fusion != "drop":
            kept = torch.cat([kept, torch.full_like(kept[:, :1], -1)], dim=1)
        self.origin = kept
        self.selections.append(sel)

    @property
    def stage(self):
        return len(self.selections)

    def bring_to_stage(self, z, from_stage):
        """Apply every stored selection made after `z` was produced (stage `from_stage`)."""
        for sel in self.selections[from_stage:]:
            z = apply_selection(z, sel)
        return z


class Sparsifier:
    """TS at the configured 1-based layers; one instance per model, state reset per forward."""

    def __init__(self, keep_rate, ts_layers, fusion, num_patches, kept_order="score"):
        self.keep_rate, self.ts_layers, self.fusion = keep_rate, set(ts_layers), fusion
        self.kept_order = kept_order
        self.num_patches = num_patches
        self.tracker = None

    def begin(self, x):
        self.tracker = TokenTracker(x.shape[0], self.num_patches, x.device)

    def after_attention(self, i, y, probs):
        layer = i + 1
        if layer not in self.ts_layers:
            return y
        y, sel = sparsify(y, probs, self.keep_rate, layer, self.fusion, self.kept_order)
        self.tracker.record(layer, sel)
        return y
