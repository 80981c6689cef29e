"""AdaptFormer: a parallel bottleneck adapter beside the FFN,
    out = y + FFN(LN2(y)) + s * up(ReLU(down(in))),  in = y (default, "residual") or LN2(y) ("ln2").
Tensors: blocks.{i}.adaptformer.down.weight [d', D], .bias [d']; .up.weight [D, d'], .bias [D]."""
import torch.nn as nn
import torch.nn.functional as F

from vit import Hooks


class Bottleneck(nn.Module):
    def __init__(self, dim, bottleneck):
        super().__init__()
        self.down = nn.Linear(dim, bottleneck)
        self.up = nn.Linear(bottleneck, dim)

    def forward(self, x):
        return self.up(F.relu(self.down(x)))


class AdaptFormer(Hooks):
    def __init__(self, tree, cfg):
        self.scale = cfg["adapter_scale"]
        self.use_ln2 = cfg["adaptformer_input"] == "ln2"
        for blk in tree.blocks:
            blk.adaptformer = Bottleneck(cfg["embed_dim"], cfg["adapter_dim"])
        self.adapters = [blk.adaptformer for blk in tree.blocks]

    def parallel(self, i, y, yn):
        return self.scale * self.adapters[i](yn if self.use_ln2 else y)
