"""The official code's "dense" adapter (SPEC A.4), option dense_mode=code.

Per block: u = ReLU(down1 x); v = down2 u; w = up1 v; t = mix([v, w]) + u; out = up2 t, added in
parallel to the FFN (no scale). Stage sums: after block 3 (1-based) x += x0 + a_1 + a_2 + a_3
(x0 = embedding incl. CLS and pos), after 6: a_4..a_6, after 9: a_7..a_9, after 12: a_10 + a_11
(a_12 omitted), exactly as coded. Depth 12 and TS at 4/7/10 are hard-wired there, so here too."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from vit import Hooks


class CodeAdapter(nn.Module):
    def __init__(self, dim, hidden1, hidden2):
        super().__init__()
        self.down1 = nn.Linear(dim, hidden1)
        self.down2 = nn.Linear(hidden1, hidden2)
        self.up1 = nn.Linear(hidden2, hidden1)
        self.mix = nn.Linear(hidden2 + hidden1, hidden1)
        self.up2 = nn.Linear(hidden1, dim)

    def forward(self, x):
        u = F.relu(self.down1(x))
        v = self.down2(u)
        w = self.up1(v)
        t = self.mix(torch.cat([v, w], dim=-1)) + u
        return self.up2(t)


# 0-based block after which a stage sum is added -> the 0-based adapters summed there
STAGE_SUMS = {2: (0, 1, 2), 5: (3, 4, 5), 8: (6, 7, 8), 11: (9, 10)}


class CodeAdapters(Hooks):
    def __init__(self, tree, cfg):
        h1, h2 = cfg["code_adapter_dims"]
        for blk in tree.blocks:
            blk.code_adapter = CodeAdapter(cfg["embed_dim"], h1, h2)
        self.adapters = [blk.code_adapter for blk in tree.blocks]

    def begin(self, x):
        self.x0 = x
        self.outputs = {}

    def parallel(self, i, y, yn):
        self.outputs[i] = self.adapters[i](y)
        return self.outputs[i]

    def after_block(self, i, x):
        if i not in STAGE_SUMS:
            return x
        if i == 2:
            x = x + self.x0          # the code re-adds the embedding here
        for j in STAGE_SUMS[i]:
            x = x + self.outputs[j]
        return x
