"""LoRA on the q and v projections: q += (alpha/r) * x A_q^T B_q^T, v likewise; x = LN1 output.
Tensors: blocks.{i}.attn.lora_q.A [r, D], .B [D, r]; same for lora_v."""
import torch
import torch.nn as nn

from vit import Hooks


class LoRAFactors(nn.Module):
    def __init__(self, dim, rank):
        super().__init__()
        self.A = nn.Parameter(torch.zeros(rank, dim))
        self.B = nn.Parameter(torch.zeros(dim, rank))

    def forward(self, x):
        return x @ self.A.t() @ self.B.t()


class LoRA(Hooks):
    def __init__(self, tree, cfg):
        self.scaling = cfg["lora_alpha"] / cfg["lora_rank"]
        for blk in tree.blocks:
            blk.attn = nn.Module()
            blk.attn.lora_q = LoRAFactors(cfg["embed_dim"], cfg["lora_rank"])
            blk.attn.lora_v = LoRAFactors(cfg["embed_dim"], cfg["lora_rank"])
        self.attns = [blk.attn for blk in tree.blocks]

    def attn_deltas(self, i, xn):
        a = self.attns[i]
        return self.scaling * a.lora_q(xn), self.scaling * a.lora_v(xn)
