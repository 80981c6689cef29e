"""VPT-deep: P = vpt_tokens learnable prompt tokens in front of every layer.
Block 0's input becomes [CLS, prompts_0, patches]; every later block replaces the previous block's prompt
outputs (rows 1 .. P) by its own prompts. The head reads the CLS token as usual.
Tensors: blocks.{i}.prompt [P, D]."""
import torch
import torch.nn as nn

from vit import Hooks


class VPT(Hooks):
    def __init__(self, tree, cfg):
        self.tokens = cfg["vpt_tokens"]
        for blk in tree.blocks:
            blk.prompt = nn.Parameter(torch.zeros(self.tokens, cfg["embed_dim"]))
        self.prompts = [blk.prompt for blk in tree.blocks]

    def before_block(self, i, x):
        prompts = self.prompts[i].unsqueeze(0).expand(x.shape[0], -1, -1)
        rest = x[:, 1:] if i == 0 else x[:, 1 + self.tokens:]
        return torch.cat([x[:, :1], prompts, rest], dim=1)
