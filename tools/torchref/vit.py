"""Frozen ViT backbone with timm parameter names (SPEC E.2) and hook points for the PEFT methods.

Pre-norm blocks, LayerNorm eps 1e-6, exact erf GELU, attention scale head_dim^-0.5, final LN on all
tokens, CLS token (index 0) to the head. The head is not part of the backbone: it is trainable and
lives with the method's tensors.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LN_EPS = 1e-6


class PatchEmbed(nn.Module):
    def __init__(self, patch_size, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, images):
        x = self.proj(images)                 # B, D, gh, gw
        return x.flatten(2).transpose(1, 2)   # B, gh*gw (row-major), D


class TubeletEmbed(nn.Module):
    """SPEC H: a 3-D convolution with kernel = stride = t x P x P; tokens in (time, row, column) order."""

    def __init__(self, tubelet, patch_size, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv3d(in_chans, dim, kernel_size=(tubelet, patch_size, patch_size),
                              stride=(tubelet, patch_size, patch_size))

    def forward(self, clips):
        x = self.proj(clips)                  # B, D, T', gh, gw
        return x.flatten(2).transpose(1, 2)   # B, T'*gh*gw (time outermost, then rows, then columns), D


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, q_delta=None, v_delta=None):
        """Returns (projected output, attention probabilities [B, H, N, N]).

        q_delta / v_delta are per-token additions to the q / v projections (LoRA, KAdaptation),
        added before the heads are split and before q is scaled.
        """
        b, n, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=-1)
        if q_delta is not None:
            q = q + q_delta
        if v_delta is not None:
            v = v + v_delta

        def heads(t):
            return t.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)

        q, k, v = heads(q), heads(k), heads(v)
        probs = torch.softmax((q * self.scale) @ k.transpose(-2, -1), dim=-1)
        out = (probs @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(out), probs


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))  # exact erf GELU (PyTorch default)


class Block(nn.Module):
    def __init__(self, dim, num_heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, hidden)


class Hooks:
    """The points where a method changes the frozen forward pass; the defaults change nothing."""

    def begin(self, x):                 # x: embedded tokens incl. CLS, before block 0
        pass

    def attn_deltas(self, i, xn):       # xn = LN1(x); returns (q_delta, v_delta), either may be None
        return None, None

    def after_attention(self, i, y, probs):  # y = x + MHSA(LN1(x)); may sparsify
        return y

    def parallel(self, i, y, yn):       # added to y + FFN(LN2(y)); yn = LN2(y)
        return None

    def after_block(self, i, x):
        return x


class VisionTransformer(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio, num_frames=0,
                 tubelet_size=2):
        super().__init__()
        grid = img_size // patch_size
        steps = num_frames // tubelet_size if num_frames else 1
        if num_frames:
            self.patch_embed = TubeletEmbed(tubelet_size, patch_size, in_chans, embed_dim)
        else:
            self.patch_embed = PatchEmbed(patch_size, in_chans, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, steps * grid * grid + 1, embed_dim))
        hidden = int(embed_dim * mlp_ratio)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=LN_EPS)

    @classmethod
    def from_config(cls, cfg):
        return cls(cfg["img_size"], cfg["patch_size"], cfg["in_chans"], cfg["embed_dim"], cfg["depth"],
                   cfg["num_heads"], cfg["mlp_ratio"], cfg["num_frames"], cfg["tubelet_size"])

    def embed(self, images):
        x = self.patch_embed(images)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        return torch.cat([cls, x], dim=1) + self.pos_embed

    def forward_features(self, images, hooks=None):
        """Final-LN'ed CLS feature [B, D]."""
        hooks = hooks or Hooks()
        x = self.embed(images)
        hooks.begin(x)
        for i, blk in enumerate(self.blocks):
            xn = blk.norm1(x)
            q_delta, v_delta = hooks.attn_deltas(i, xn)
            attn_out, probs = blk.attn(xn, q_delta, v_delta)
            y = hooks.after_attention(i, x + attn_out, probs)
            yn = blk.norm2(y)
            x = y + blk.mlp(yn)
            extra = hooks.parallel(i, y, yn)
            if extra is not None:
                x = x + extra
            x = hooks.after_block(i, x)
        return self.norm(x)[:, 0]
