"""Dense Adapters, paper version (SPEC A.3): per layer N,
    x_DA_N = up(ReLU(down_x(x_N) + [N>1] down_prev1(S(x_DA_{N-1})) + [N>3] down_prev3(S(x_DA_{N-3}))))
    layer output = x_N + FFN(LN2(x_N)) + s * x_DA_N
x_N is the (possibly sparsified) residual stream after MHSA, not LayerNorm'ed. Later adapters receive
the unscaled x_DA, brought to the current token count by the stored selections (S)."""
import torch.nn as nn
import torch.nn.functional as F

from vit import Hooks


class DenseAdapter(nn.Module):
    def __init__(self, dim, bottleneck, offsets):
        super().__init__()
        self.offsets = tuple(offsets)
        self.down_x = nn.Linear(dim, bottleneck)
        for j in self.offsets:
            self.add_module(f"down_prev{j}", nn.Linear(dim, bottleneck))
        self.up = nn.Linear(bottleneck, dim)

    def forward(self, x, prev):
        """prev: {offset j: x_DA_{N-j} already at x's token count}."""
        z = self.down_x(x)
        for j in self.offsets:
            z = z + getattr(self, f"down_prev{j}")(prev[j])
        return self.up(F.relu(z))


class DenseAdapters(Hooks):
    """Adds the adapters to `tree.blocks[i].dense_adapter` and runs them as the `parallel` hook."""

    def __init__(self, tree, cfg, sparsifier):
        dim, bottleneck = cfg["embed_dim"], cfg["adapter_dim"]
        self.scale = cfg["adapter_scale"]
        self.sparsifier = sparsifier
        for i, blk in enumerate(tree.blocks):
            offsets = [j for j in cfg["dense_inputs"] if i - j >= 0]
            blk.dense_adapter = DenseAdapter(dim, bottleneck, offsets)
        self.adapters = [blk.dense_adapter for blk in tree.blocks]
        self.outputs = {}

    def begin(self, x):
        self.outputs = {}   # block index -> (x_DA, stage it was produced in)

    def _stage(self):
        return self.sparsifier.tracker.stage if self.sparsifier else 0

    def _bring(self, z, from_stage):
        return self.sparsifier.tracker.bring_to_stage(z, from_stage) if self.sparsifier else z

    def parallel(self, i, y, yn):
        adapter = self.adapters[i]
        prev = {j: self._bring(*self.outputs[i - j]) for j in adapter.offsets}
        out = adapter(y, prev)
        self.outputs[i] = (out, self._stage())
        return self.scale * out


def dense_adapter_parameter_count(dim, depth, bottleneck, dense_inputs=(1, 3)):
    per_down = dim * bottleneck + bottleneck
    up = bottleneck * dim + dim
    return sum(up + per_down * (1 + sum(1 for j in dense_inputs if i - j >= 0)) for i in range(depth))
