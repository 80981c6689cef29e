"""A second, deliberately different formulation of Sparse-Tuning (paper mode) used only to cross-check
the module-based one: one sample at a time, hand-written LayerNorm/GELU/attention, kept tokens in
ascending position order (a Python sort, not torch.topk), and token sparsification as an explicit
selection matrix M (rows: CLS, kept tokens, fused weights), so S(z) = M z and an adapter output that
is several stages behind is multiplied by the product of the stage matrices."""
import math

import torch

from config import keep_count


def _ln(x, w, b, eps=1e-6):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def _gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def _lin(t, name, x):
    return x @ t[name + ".weight"].t() + t[name + ".bias"]


def _attention(t, p, x, heads):
    n, d = x.shape
    hd = d // heads
    qkv = _lin(t, p + "attn.qkv", x)
    outs, cls_rows = [], []
    for h in range(heads):
        q = qkv[:, h * hd:(h + 1) * hd]
        k = qkv[:, d + h * hd:d + (h + 1) * hd]
        v = qkv[:, 2 * d + h * hd:2 * d + (h + 1) * hd]
        s = (q @ k.t()) / math.sqrt(hd)
        pr = torch.exp(s - s.max(dim=1, keepdim=True).values)
        pr = pr / pr.sum(dim=1, keepdim=True)
        outs.append(pr @ v)
        cls_rows.append(pr[0])
    return _lin(t, p + "attn.proj", torch.cat(outs, dim=1)), torch.stack(cls_rows).mean(0)


def _selection_matrix(cls_row, rho, fusion):
    """M [n', n] for one sample, or None when everything is kept."""
    n = cls_row.shape[0]
    scores = cls_row[1:]
    k = keep_count(rho, n - 1)
    if k >= n - 1:
        return None, None
    order = sorted(range(n - 1), key=lambda j: -scores[j].item())
    kept = sorted(order[:k])
    dropped = sorted(order[k:])
    rows = [torch.nn.functional.one_hot(torch.tensor(0), n).to(cls_row.dtype)]
    for j in kept:
        rows.append(torch.nn.functional.one_hot(torch.tensor(1 + j), n).to(cls_row.dtype))
    if fusion != "drop":
        w = torch.zeros(n, dtype=cls_row.dtype)
        w = w.index_put((torch.tensor([1 + j for j in dropped]),), scores[dropped])
        if fusion == "weighted-average":
            w = w / scores[dropped].sum()
        rows.append(w)
    return torch.stack(rows), kept


def _tubelets(clip, tub, p):
    """[C, T, H, W] -> one row per tubelet, listed time, then row, then column; each row (c, frame, y, x)."""
    rows = []
    for s in range(clip.shape[1] // tub):
        for i in range(clip.shape[2] // p):
            for j in range(clip.shape[3] // p):
                rows.append(clip[:, s * tub:(s + 1) * tub, i * p:(i + 1) * p, j * p:(j + 1) * p].reshape(-1))
    return torch.stack(rows)


def naive_logits(cfg, t, image):
    """t: {name: float64 tensor} (backbone and trainables together); image [C, H, W] or a clip [C, T, H, W]."""
    p = cfg["patch_size"]
    if image.dim() == 3:
        c, hgt, wid = image.shape
        patches = image.reshape(c, hgt // p, p, wid // p, p).permute(1, 3, 0, 2, 4).reshape(-1, c * p * p)
    else:
        patches = _tubelets(image, cfg["tubelet_size"], p)
    w = t["patch_embed.proj.weight"].reshape(cfg["embed_dim"], -1)
    x = torch.cat([t["cls_token"][0], patches @ w.t() + t["patch_embed.proj.bias"]]) + t["pos_embed"][0]
    stage_mats, da_out = [], {}
    st = cfg["method"] == "sparse-tuning"
    for i in range(cfg["depth"]):
        pre = f"blocks.{i}."
        a, cls_row = _attention(t, pre, _ln(x, t[pre + "norm1.weight"], t[pre + "norm1.bias"]), cfg["num_heads"])
        y = x + a
        if (i + 1) in cfg["ts_layers"]:
            m, _ = _selection_matrix(cls_row, cfg["keep_rate"], cfg["fusion"])
            if m is not None:
                y = m @ y
                stage_mats.append(m)
        x = y + _lin(t, pre + "mlp.fc2", _gelu(_lin(t, pre + "mlp.fc1",
                                                     _ln(y, t[pre + "norm2.weight"], t[pre + "norm2.bias"]))))
        if st:
            da = pre + "dense_adapter."
            z = _lin(t, da + "down_x", y)
            for j in cfg["dense_inputs"]:
                if i - j < 0:
                    continue
                prev, stage = da_out[i - j]
                for m in stage_mats[stage:]:
                    prev = m @ prev
                z = z + _lin(t, da + f"down_prev{j}", prev)
            out = _lin(t, da + "up", torch.relu(z))
            da_out[i] = (out, len(stage_mats))
            x = x + cfg["adapter_scale"] * out
    x = _ln(x, t["norm.weight"], t["norm.bias"])
    return _lin(t, "head", x[0])
