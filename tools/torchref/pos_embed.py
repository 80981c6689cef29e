"""Position-embedding resize for a backbone made for another patch grid (SPEC E.3: bicubic, only if the grid differs).

The class-token row is kept; the g x g grid is resampled with F.interpolate(mode='bicubic', align_corners=False),
without antialias by default (what the Sparse-Tuning code's resize_pos_embed does) or with it (current timm's
resample_abs_pos_embed default). The Java engine's PosEmbedResize implements both the same way."""
import math

import torch
import torch.nn.functional as F


def grid_of(tokens):
    g = int(round(math.sqrt(tokens - 1)))
    if tokens < 2 or g * g != tokens - 1:
        raise ValueError(f"pos_embed has {tokens} tokens: not a class token plus a square patch grid")
    return g


def resample_pos_embed(posemb, new_grid, antialias=False):
    """posemb [1, 1 + g*g, D] (torch) -> [1, 1 + new_grid^2, D]."""
    g = grid_of(posemb.shape[1])
    if g == new_grid:
        return posemb
    cls, grid = posemb[:, :1], posemb[:, 1:]
    x = grid.reshape(1, g, g, -1).permute(0, 3, 1, 2)
    x = F.interpolate(x, size=(new_grid, new_grid), mode="bicubic", align_corners=False, antialias=antialias)
    return torch.cat([cls, x.permute(0, 2, 3, 1).reshape(1, new_grid * new_grid, -1)], dim=1)
