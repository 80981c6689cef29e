"""Adapter-tuning: sequential bottleneck adapters on a sub-layer's output h (Houlsby-style),
    h <- h + up(ReLU(down(LN(h)))),    LN with its own affine parameters, eps 1e-6,
applied to the MLP sub-layer's output in every block (adapter_placement = "mlp", one adapter per block,
the parameter count SPEC C.4 reports) or also to the attention sub-layer's output ("houlsby").
Tensors: blocks.{i}.adapter_mlp.{norm,down,up}.{weight,bias} (+ blocks.{i}.adapter_attn.* for houlsby);
norm [D], down [d', D] / [d'], up [D, d'] / [D]."""
import torch.nn as nn
import torch.nn.functional as F

from vit import Hooks, LN_EPS


class SequentialAdapter(nn.Module):
    def __init__(self, dim, bottleneck):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)
        self.down = nn.Linear(dim, bottleneck)
        self.up = nn.Linear(bottleneck, dim)

    def forward(self, h):
        return h + self.up(F.relu(self.down(self.norm(h))))


class Adapters(Hooks):
    def __init__(self, tree, cfg):
        houlsby = cfg["adapter_placement"] == "houlsby"
        for blk in tree.blocks:
            if houlsby:
                blk.adapter_attn = SequentialAdapter(cfg["embed_dim"], cfg["adapter_dim"])
            blk.adapter_mlp = SequentialAdapter(cfg["embed_dim"], cfg["adapter_dim"])
        self.after_attn = [blk.adapter_attn for blk in tree.blocks] if houlsby else None
        self.after_mlp = [blk.adapter_mlp for blk in tree.blocks]

    def attn_output(self, i, h):
        return self.after_attn[i](h) if self.after_attn else h

    def mlp_output(self, i, h):
        return self.after_mlp[i](h)
