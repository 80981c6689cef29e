"""Self-checks of the reference implementation (run by make_goldens.py before writing anything).

    python3 selfchecks.py
"""
import math

import torch

from config import input_shape, keep_count, make_config, num_patches
from dense_adapter import dense_adapter_parameter_count
from init import init_for_training
from model import PeftModel
from token_sparsification import sparsify

SMALL = dict(img_size=32, patch_size=8, embed_dim=24, num_heads=3, mlp_ratio=2, num_classes=5,
             adapter_dim=8, kadapt_n=4, kadapt_scale=2.0, code_adapter_dims=[16, 8])
VIT_B = dict(img_size=224, patch_size=16, embed_dim=768, num_heads=12, mlp_ratio=4, depth=12)

# SPEC A.2 token-count table for ViT-B/16 (197 tokens): tokens after blocks 4, 7, 10
COUNT_TABLE = {1.0: (197, 197, 197), 0.9: (179, 163, 148), 0.8: (159, 129, 105),
               0.7: (140, 100, 72), 0.6: (120, 74, 46), 0.5: (100, 52, 28)}


def _require(cond, msg):
    if not cond:
        raise AssertionError(msg)


def _random_backbone(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.backbone.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.3)


def check_token_counts_formula():
    for rho, expected in COUNT_TABLE.items():
        n, got = 197, []
        for _ in range(3):
            k = keep_count(rho, n - 1)
            n = n if k >= n - 1 else 2 + k
            got.append(n)
        _require(tuple(got) == expected, f"token counts at rho={rho}: {got} != SPEC table {expected}")


def check_token_counts_in_model(rho, dims, fusion="sum"):
    """Run the real model and verify every stage's length follows N_after = 2 + ceil(rho (N_before-1))."""
    cfg = make_config(dict(dims, keep_rate=rho, method="token-sparsification", fusion=fusion))
    model = PeftModel(cfg).double() if cfg["embed_dim"] < 100 else PeftModel(cfg)
    _random_backbone(model, 7)
    dtype = next(model.parameters()).dtype
    images = torch.randn(*input_shape(cfg, 1), dtype=dtype)
    with torch.no_grad():
        model(images)
    n = num_patches(cfg) + 1
    counts = []
    for layer in cfg["ts_layers"]:
        k = model.kept()[layer].shape[1]
        _require(k == min(keep_count(rho, n - 1), n - 1), f"layer {layer}: kept {k} of {n - 1}")
        if k < n - 1:
            n = 1 + k + (0 if fusion == "drop" else 1)
        counts.append(n)
    return counts


def check_parameter_counts():
    def count(**kw):
        cfg = make_config(dict(VIT_B, num_classes=1, **kw))
        model = PeftModel(cfg)
        return sum(p.numel() for n, p in model.trainable_named().items() if not n.startswith("head."))
    expected = [
        (dict(method="sparse-tuning", adapter_dim=32), 1_091_584),
        (dict(method="sparse-tuning", adapter_dim=8), 279_808),
        (dict(method="sparse-tuning", dense_mode="code"), 1_314_432),
        (dict(method="adaptformer", adapter_dim=64), 1_189_632),
        (dict(method="adaptformer", adapter_dim=8), 156_768),
        (dict(method="lora", lora_rank=4), 147_456),
        (dict(method="kadaptation", kadapt_n=32, kadapt_rank=1), 50_176),
    ]
    for kw, want in expected:
        got = count(**kw)
        _require(got == want, f"trainable parameters (head excluded) for {kw}: {got} != {want}")
    _require(dense_adapter_parameter_count(768, 12, 32) == 1_091_584, "closed-form DA count d'=32")
    _require(dense_adapter_parameter_count(768, 12, 8) == 279_808, "closed-form DA count d'=8")


def check_identity_at_init():
    """Zero-init up/B weights: rho=1 sparse-tuning and every baseline equal the plain frozen ViT."""
    images = torch.randn(2, 3, 32, 32, dtype=torch.float64)
    reference = None
    for method in ("linear-probe", "sparse-tuning", "adaptformer", "lora", "kadaptation"):
        cfg = make_config(dict(SMALL, method=method, keep_rate=1.0))
        model = PeftModel(cfg).double()
        _random_backbone(model, 11)
        init_for_training(model, torch.Generator().manual_seed(3))
        with torch.no_grad():
            model.trainable.head.weight.copy_(torch.linspace(-1, 1, 5 * 24, dtype=torch.float64).reshape(5, 24))
            logits = model(images)
        if reference is None:
            reference = logits
            plain = model.backbone.forward_features(images)  # no hooks at all
            with torch.no_grad():
                _require(torch.allclose(model.trainable.head(plain), logits, rtol=0, atol=1e-12),
                         "linear-probe model differs from the hook-free ViT")
        diff = (logits - reference).abs().max().item()
        _require(diff <= 1e-12, f"{method} at init with rho=1 differs from the plain ViT by {diff}")


def check_kept_order_irrelevant():
    """Keeping the top-k in score order or in position order gives the same output (SPEC A.2 note)."""
    cfg = make_config(dict(SMALL, method="sparse-tuning", keep_rate=0.6))
    torch.manual_seed(5)
    model = PeftModel(cfg).double()
    _random_backbone(model, 13)
    images = torch.randn(2, 3, 32, 32, dtype=torch.float64)
    with torch.no_grad():
        a = model(images)
        model.sparsifier.kept_order = "position"
        b = model(images)
    diff = (a - b).abs().max().item()
    _require(diff <= 1e-10, f"kept-token order changed the logits by {diff}")


def check_ts_gradcheck():
    """gradcheck of TS in float64, through both token values and the CLS weights (not detached)."""
    torch.manual_seed(0)
    b, n, c, h = 2, 7, 3, 2
    y = torch.randn(b, n, c, dtype=torch.float64, requires_grad=True)
    scores = torch.randn(b, h, n, n, dtype=torch.float64, requires_grad=True)
    for fusion in ("sum", "weighted-average", "drop"):
        def f(y_, s_):
            out, sel = sparsify(y_, torch.softmax(s_, dim=-1), 0.5, 4, fusion)
            _require(sel is not None and out.shape[1] == (1 + 3 + (fusion != "drop")), "unexpected TS shape")
            return out
        _require(torch.autograd.gradcheck(f, (y, scores), eps=1e-6, atol=1e-8),
                 f"gradcheck failed for fusion={fusion}")
    out, _ = sparsify(y, torch.softmax(scores, dim=-1), 0.5, 4, "sum")
    g = torch.autograd.grad(out[:, -1].sum(), scores)[0]
    _require(g[:, :, 0].abs().sum() > 0, "fused token has no gradient through the CLS attention weights")


def check_kadaptation_q_order():
    """kadapt_delta_after_scale: the attention must see q*head_dim^-0.5 + dq (true) or (q + dq)*head_dim^-0.5 (false),
    with dq = (LN1(x) @ H_q) * scale + bias written out here independently of the hook's rescaling trick."""
    from kadaptation import kronecker_sum
    g = torch.Generator().manual_seed(21)
    x = torch.randn(2, 17, 24, dtype=torch.float64, generator=g)
    for after in (True, False):
        model = PeftModel(make_config(dict(SMALL, method="kadaptation", keep_rate=1.0, ts_layers=[],
                                           kadapt_delta_after_scale=after))).double()
        _random_backbone(model, 11)
        with torch.no_grad():
            for p in model.trainable_named().values():
                p.copy_(0.3 * torch.randn(p.shape, dtype=torch.float64, generator=g))
            blk, attn_params = model.backbone.blocks[0], model.trainable.blocks[0].attn
            xn = blk.norm1(x)
            h_q = kronecker_sum(model.trainable.kadaptation.q.matrices(), attn_params.kadapt_q.matrices())
            dq = (xn @ h_q) * 2.0 + attn_params.kadapt_bias
            q, k, _ = blk.attn.qkv(xn).split(24, dim=-1)
            scale = 8 ** -0.5
            q = q * scale + dq if after else (q + dq) * scale

            def heads(t):
                return t.reshape(2, 17, 3, 8).transpose(1, 2)
            want = torch.softmax(heads(q) @ heads(k).transpose(-2, -1), dim=-1)
            _, got = blk.attn(xn, *model.hooks.attn_deltas(0, xn))
        _require(torch.allclose(got, want, rtol=0, atol=1e-12),
                 f"kadaptation q order (after={after}): attention probabilities differ by {(got - want).abs().max()}")


def check_inflated_clip_embeds_as_image():
    """SPEC H: with an inflated image backbone, a clip of identical frames embeds (tokens + pos_embed) as the image,
    once per time step, time outermost; and a clip's tokens come in (time, row, column) order."""
    image_cfg = make_config(dict(SMALL, method="linear-probe", ts_layers=[], keep_rate=1.0))
    clip_cfg = make_config(dict(image_cfg, num_frames=6, tubelet_size=3))
    image = PeftModel(image_cfg).double()
    _random_backbone(image, 5)
    state = {k: v.detach().numpy() for k, v in image.backbone.state_dict().items()}
    clip = PeftModel(clip_cfg).double()
    clip.load_backbone(state)
    frame = torch.randn(2, 3, 1, 32, 32, dtype=torch.float64)
    with torch.no_grad():
        want = image.backbone.embed(frame[:, :, 0])
        got = clip.backbone.embed(frame.expand(-1, -1, 6, -1, -1))
    _require(got.shape == (2, 1 + 2 * 16, 24), f"inflated clip embedding shape {tuple(got.shape)}")
    for s in range(2):
        _require(torch.allclose(got[:, 1 + 16 * s:17 + 16 * s], want[:, 1:], rtol=0, atol=1e-12),
                 f"inflated clip: time step {s} does not embed as the image")
    _require(torch.equal(got[:, 0], want[:, 0]), "inflated clip: CLS entry changed")
    # Token order: a clip whose only non-zero pixel is in frame 3 (second tubelet), row 1, column 2 lights up
    # exactly the token 16 + 1*4 + 2 (bias and pos_embed aside).
    probe = torch.zeros(1, 3, 6, 32, 32, dtype=torch.float64)
    probe[0, :, 3, 8:16, 16:24] = 1.0
    with torch.no_grad():
        tokens = clip.backbone.patch_embed(probe) - clip.backbone.patch_embed(torch.zeros_like(probe))
    lit = tokens.abs().sum(-1)[0].nonzero().flatten().tolist()
    _require(lit == [16 + 1 * 4 + 2], f"clip token order: the lit tubelet is token {lit}, expected [22]")


def check_vit_b_clip_tokens():
    """ViT-B/16 at 8 frames, t = 2: 784 tokens + CLS; at rho 0.7 the stages keep 549, 385, 271 (+ CLS + fused)."""
    counts = check_token_counts_in_model(0.7, dict(VIT_B, num_frames=8, tubelet_size=2))
    _require(counts == [551, 387, 273], f"ViT-B/16 8-frame clip at rho=0.7: {counts} != [551, 387, 273]")


def run_all(verbose=True):
    checks = [check_token_counts_formula,
              lambda: check_token_counts_in_model(0.7, SMALL),
              lambda: check_token_counts_in_model(0.5, SMALL, fusion="drop"),
              check_ts_gradcheck, check_identity_at_init, check_kept_order_irrelevant,
              check_parameter_counts, check_kadaptation_q_order,
              lambda: _require(check_token_counts_in_model(0.7, VIT_B) == [140, 100, 72],
                               "ViT-B/16 at rho=0.7 must give 140/100/72 tokens"),
              check_inflated_clip_embeds_as_image, check_vit_b_clip_tokens]
    for check in checks:
        check()
    if verbose:
        print(f"selfchecks: {len(checks)} checks passed")


if __name__ == "__main__":
    run_all()
