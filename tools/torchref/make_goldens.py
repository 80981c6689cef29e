"""Generate the golden cases the Java engine must reproduce.

    /usr/bin/python3 tools/torchref/make_goldens.py [OUT_DIR]
    (default OUT_DIR: vit/src/test/resources/golden)

Each case directory holds config.json, backbone.safetensors (random timm-named backbone),
weights.safetensors (random NON-zero trainable tensors), input.safetensors (images F32 [B,C,H,W],
labels I64 [B]) and trace.safetensors (see trace.py). The self-checks run first.
"""
import json
import os
import sys
import zlib

import numpy as np
import torch

import selfchecks
import st
from config import DEFAULTS, METHOD_DEFAULTS, explicit_config, input_shape, is_clip, make_config, num_patches
from model import PeftModel, fit_backbone
from naive import naive_logits
from trace import run_trace

MIN_RELATIVE_GAP = 1e-3
MAX_SEED_TRIES = 200

SMALL = dict(img_size=32, patch_size=8, in_chans=3, embed_dim=24, depth=12, num_heads=3, mlp_ratio=2.0)
FOUR_HEADS = dict(SMALL, num_heads=4)   # same tensor shapes as SMALL: the backbone file is shared
# Clips (SPEC H): 24 px frames (a 3x3 patch grid), 4 frames in tubelets of 2: 2 x 9 = 18 tokens + CLS.
CLIP = dict(SMALL, img_size=24, num_frames=4, tubelet_size=2)

# name -> (config, batch size, what it covers)
CASES = {
    "st_rho07_d8": (dict(SMALL, method="sparse-tuning", num_classes=10, adapter_dim=8, keep_rate=0.7), 3,
                    "paper defaults at small size: TS at 4/7/10, rho 0.7, sum fusion, Dense Adapters d'=8"),
    "st_rho05_d32": (dict(FOUR_HEADS, method="sparse-tuning", num_classes=5, adapter_dim=32, keep_rate=0.5), 2,
                     "rho 0.5 (17 -> 10 -> 7 -> 5 tokens), d'=32 (> D=24), 4 heads of 6"),
    "st_rho10_d8": (dict(SMALL, method="sparse-tuning", num_classes=7, adapter_dim=8, keep_rate=1.0), 2,
                    "rho 1.0: TS keeps everything, Dense Adapters only (no re-sparsification)"),
    "st_layers_3_5_6_9": (dict(SMALL, method="sparse-tuning", num_classes=6, adapter_dim=8, keep_rate=0.7,
                               ts_layers=[3, 5, 6, 9], adapter_scale=0.5), 2,
                          "non-default ts_layers: adapter outputs two stages behind get S applied twice; s=0.5"),
    "st_rho07_wavg": (dict(SMALL, method="sparse-tuning", num_classes=5, adapter_dim=8, keep_rate=0.7,
                           fusion="weighted-average"), 2, "fusion = weighted average (divide by sum of a)"),
    "st_rho07_drop": (dict(SMALL, method="sparse-tuning", num_classes=5, adapter_dim=8, keep_rate=0.7,
                           fusion="drop"), 2, "fusion = drop (no fused token)"),
    "ts_only_rho07": (dict(SMALL, method="token-sparsification", num_classes=8, keep_rate=0.7), 2,
                      "token sparsification only, head trainable"),
    "lora_r4": (dict(SMALL, method="lora", num_classes=5, lora_rank=4, lora_alpha=8.0, keep_rate=1.0,
                     ts_layers=[]), 2, "LoRA on q and v, rank 4, alpha 8, no TS"),
    "adaptformer_d8": (dict(SMALL, method="adaptformer", num_classes=5, adapter_dim=8, adapter_scale=0.1,
                            keep_rate=1.0, ts_layers=[]), 2, "AdaptFormer, bottleneck 8, scale 0.1, no TS"),
    "kadaptation_n4": (dict(SMALL, method="kadaptation", num_classes=5, kadapt_n=4, kadapt_rank=1,
                            kadapt_scale=2.0, keep_rate=1.0, ts_layers=[]), 2,
                       "KAdaptation on q and v, n=4 (m=6), rank 1, scale 2, fixed code defects, no TS; q delta "
                       "after the q scaling (default, SPEC C.2)"),
    "kadaptation_n4_qbefore": (dict(SMALL, method="kadaptation", num_classes=5, kadapt_n=4, kadapt_rank=1,
                                    kadapt_scale=2.0, keep_rate=1.0, ts_layers=[], kadapt_delta_after_scale=False), 2,
                               "as kadaptation_n4 with the q delta added before the q scaling"),
    "st_l2_5_r055_d16_b3_wavg": (dict(SMALL, method="sparse-tuning", num_classes=4, adapter_dim=16, keep_rate=0.55,
                                      ts_layers=[2, 5], fusion="weighted-average"), 3,
                                 "unusual: TS at layers 2 and 5, rho 0.55 (k = ceil(8.8) = 9, then ceil(5.5) = 6), "
                                 "d'=16, batch 3, weighted-average fusion"),
    "st_depth8_l1_8_r03_d4_b1": (dict(SMALL, depth=8, num_heads=2, method="sparse-tuning", num_classes=3, adapter_dim=4,
                                      adapter_scale=2.0, keep_rate=0.3, ts_layers=[1, 8]), 1,
                                 "unusual: batch 1, depth 8, 2 heads, TS at the first and the last layer, rho 0.3 "
                                 "(17 -> 7 -> 4 tokens), d'=4, s=2"),
    "st_resize_g3_to_g4": (dict(SMALL, method="sparse-tuning", num_classes=5, adapter_dim=8, keep_rate=0.7), 2,
                           "backbone made for a 3x3 patch grid (24 px) in a 4x4-grid model: pos_embed resampled "
                           "bicubically (align_corners=False, no antialias) while loading"),
    "st_code_rho07": (dict(SMALL, method="sparse-tuning", dense_mode="code", code_adapter_dims=[16, 8],
                           head_mode="bn-linear", num_classes=5, keep_rate=0.7), 3,
                      "official-code variant (SPEC A.4) with BN(affine=False)+Linear head, batch stats"),
    "clip_st_native_t2": (dict(CLIP, method="sparse-tuning", num_classes=5, adapter_dim=8, keep_rate=0.7), 2,
                          "clip [B, 3, 4, 24, 24], tubelets 2x8x8, native tubelet backbone (5-D kernel, space-time "
                          "pos_embed): 19 -> 15 -> 12 -> 10 tokens, kept indices in (time, row, column) order"),
    "clip_st_inflated_t2": (dict(CLIP, method="sparse-tuning", num_classes=5, adapter_dim=8, keep_rate=0.7), 2,
                            "as clip_st_native_t2 with an image backbone inflated on load (kernel / t over the "
                            "tubelet, spatial pos_embed repeated per time step, CLS kept)"),
    "clip_st_inflated_resize_g2_to_g3": (dict(CLIP, method="sparse-tuning", num_classes=4, adapter_dim=8,
                                              keep_rate=0.7), 2,
                                         "image backbone made for 16 px (2x2 grid) in a 24 px clip model: pos_embed "
                                         "resized bicubically, then inflated"),
    "clip_st_t1_f3": (dict(CLIP, num_frames=3, tubelet_size=1, method="sparse-tuning", num_classes=5, adapter_dim=8,
                           keep_rate=0.7), 2, "tubelet size 1 (a 1x8x8 kernel), 3 frames: 27 tokens + CLS, native"),
    "clip_st_r05_l2_6_f6_t3": (dict(CLIP, num_frames=6, tubelet_size=3, depth=8, method="sparse-tuning",
                                    num_classes=6, adapter_dim=8, keep_rate=0.5, ts_layers=[2, 6]), 3,
                               "rho 0.5, TS at layers 2 and 6 of 8, 6 frames in tubelets of 3 (odd t), batch 3, "
                               "native: 19 -> 11 -> 7 tokens"),
    "clip_lora_r4_inflated": (dict(CLIP, method="lora", num_classes=5, lora_rank=4, lora_alpha=8.0, keep_rate=1.0,
                                   ts_layers=[]), 2, "a baseline on clips: LoRA r 4 on an inflated image backbone"),
}


# Cases whose backbone file is made for another configuration than the model: another image size (so another
# patch grid; the loader resamples pos_embed, SPEC E.3), or an image backbone for a clip model (inflated, SPEC H).
BACKBONE_OVERRIDES = {"st_resize_g3_to_g4": dict(img_size=24),
                      "clip_st_inflated_t2": dict(num_frames=0),
                      "clip_st_inflated_resize_g2_to_g3": dict(num_frames=0, img_size=16),
                      "clip_lora_r4_inflated": dict(num_frames=0)}


def _normal(rng, shape, std, mean=0.0):
    return (mean + std * rng.standard_normal(shape)).astype(np.float32)


def random_backbone(cfg, seed):
    """timm-named backbone; scales chosen so attention is peaked (clear top-k) and activations O(1)."""
    rng = np.random.default_rng(seed)
    d, c, p = cfg["embed_dim"], cfg["in_chans"], cfg["patch_size"]
    hidden = int(d * cfg["mlp_ratio"])
    tokens = num_patches(cfg) + 1
    kernel = (d, c, cfg["tubelet_size"], p, p) if is_clip(cfg) else (d, c, p, p)
    t = {"patch_embed.proj.weight": _normal(rng, kernel, 1.0 / np.sqrt(np.prod(kernel[1:]))),
         "patch_embed.proj.bias": _normal(rng, (d,), 0.1),
         "cls_token": _normal(rng, (1, 1, d), 1.0),
         "pos_embed": _normal(rng, (1, tokens, d), 0.5),
         "norm.weight": _normal(rng, (d,), 0.2, 1.0), "norm.bias": _normal(rng, (d,), 0.1)}
    for i in range(cfg["depth"]):
        b = f"blocks.{i}."
        t.update({b + "norm1.weight": _normal(rng, (d,), 0.2, 1.0), b + "norm1.bias": _normal(rng, (d,), 0.1),
                  b + "attn.qkv.weight": _normal(rng, (3 * d, d), 1.5 / np.sqrt(d)),
                  b + "attn.qkv.bias": _normal(rng, (3 * d,), 0.1),
                  b + "attn.proj.weight": _normal(rng, (d, d), 1.0 / np.sqrt(d)),
                  b + "attn.proj.bias": _normal(rng, (d,), 0.1),
                  b + "norm2.weight": _normal(rng, (d,), 0.2, 1.0), b + "norm2.bias": _normal(rng, (d,), 0.1),
                  b + "mlp.fc1.weight": _normal(rng, (hidden, d), 1.0 / np.sqrt(d)),
                  b + "mlp.fc1.bias": _normal(rng, (hidden,), 0.1),
                  b + "mlp.fc2.weight": _normal(rng, (d, hidden), 1.0 / np.sqrt(hidden)),
                  b + "mlp.fc2.bias": _normal(rng, (d,), 0.1)})
    return t


def random_trainables(cfg, seed):
    """Every trainable tensor non-zero; 'up'-like tensors smaller so adapters perturb, not dominate."""
    rng = np.random.default_rng(seed)
    shapes = {n: tuple(p.shape) for n, p in PeftModel(cfg).trainable_named().items()}
    out = {}
    for name, shape in shapes.items():
        if name.endswith(".bias") or name.endswith("kadapt_bias"):
            std = 0.1
        elif name.endswith(("up.weight", "up1.weight", "up2.weight", ".B")):
            std = 0.5 / np.sqrt(shape[1])
        elif name.endswith(("a_left", "a_right", "b_left", "b_right")):
            std = 0.5
        else:
            std = 1.0 / np.sqrt(shape[-1])
        out[name] = _normal(rng, shape, std)
    return out


def random_inputs(cfg, batch, seed):
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1.0, 1.0, input_shape(cfg, batch)).astype(np.float32)   # like (x - 0.5) / 0.5
    labels = rng.integers(0, cfg["num_classes"], batch).astype(np.int64)
    return {"images": images, "labels": labels}


def smallest_topk_gap(model):
    """min over TS layers and samples of (s_k - s_{k+1}) / s_k of the CLS scores (inf if no TS step)."""
    gap = float("inf")
    if model.sparsifier is None:
        return gap
    for sel in model.sparsifier.tracker.selections:
        s = torch.sort(sel.weights.detach(), dim=1, descending=True).values
        k = sel.idx.shape[1]
        rel = (s[:, k - 1] - s[:, k]) / s[:, k - 1]
        gap = min(gap, rel.min().item())
    return gap


def make_case(name, raw_cfg, batch, out_dir):
    cfg = make_config(raw_cfg, source=name)
    backbone_seed = 1000 + cfg["embed_dim"]
    backbone_cfg = dict(cfg, **BACKBONE_OVERRIDES.get(name, {}))
    backbone = random_backbone(backbone_cfg, seed=backbone_seed)   # byte-identical file for cases of equal shapes
    base = zlib.crc32(name.encode()) % 1_000_000 * 1000
    for attempt in range(MAX_SEED_TRIES):
        seed = base + attempt
        weights = random_trainables(cfg, seed)
        inputs = random_inputs(cfg, batch, seed + 500_000)
        trace, model = run_trace(cfg, backbone, weights, inputs)
        gap = smallest_topk_gap(model)
        zero_grads = [k for k, v in trace.items() if k.startswith("grad.") and not np.any(v)]
        if zero_grads:
            raise AssertionError(f"{name}: all-zero gradients {zero_grads}; some path is not exercised")
        if gap > MIN_RELATIVE_GAP and np.isfinite(trace["loss"]).all():
            break
    else:
        raise RuntimeError(f"{name}: no seed in {MAX_SEED_TRIES} tries gives a top-k gap > {MIN_RELATIVE_GAP}")
    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "config.json"), "w") as f:
        json.dump(explicit_config(cfg), f, indent=2)
        f.write("\n")
    meta = {"generator": "tools/torchref/make_goldens.py", "case": name, "seed": seed}
    st.save(os.path.join(case_dir, "backbone.safetensors"), backbone,
            {"generator": "tools/torchref/make_goldens.py", "seed": backbone_seed})
    st.save(os.path.join(case_dir, "weights.safetensors"), weights, meta)
    st.save(os.path.join(case_dir, "input.safetensors"), inputs, meta)
    st.save(os.path.join(case_dir, "trace.safetensors"), trace,
            dict(meta, min_topk_relative_gap=f"{gap:.4g}"))
    _verify_roundtrip(case_dir, cfg)
    _verify_float32_agrees(name, cfg, backbone, weights, inputs, trace)
    _verify_naive_agrees(name, cfg, backbone, weights, inputs, trace)
    kept = {k: v.shape[1] for k, v in trace.items() if k.startswith("kept.")}
    print(f"{name:20s} seed {seed:7d}  loss {trace['loss'][0]:.5f}  min top-k gap {gap:.3g}  kept {kept}")


def _verify_roundtrip(case_dir, cfg):
    """Re-read the written files and recompute: the stored trace must reproduce (F32 storage only)."""
    files = {n: st.load(os.path.join(case_dir, n + ".safetensors")) for n in ("backbone", "weights", "input", "trace")}
    again, _ = run_trace(cfg, files["backbone"], files["weights"], files["input"])
    for key, want in files["trace"].items():
        if not np.array_equal(again[key], want):
            raise AssertionError(f"{case_dir}: {key} does not round-trip")


def _verify_float32_agrees(name, cfg, backbone, weights, inputs, trace):
    """A float32 run (what an F32 engine does) must make the same selections and nearly the same loss."""
    t32, _ = run_trace(cfg, backbone, weights, inputs, dtype=torch.float32)
    for key in (k for k in trace if k.startswith("kept.")):
        if not np.array_equal(t32[key], trace[key]):
            raise AssertionError(f"{name}: float32 run keeps different tokens at {key}")
    rel = abs(t32["loss"][0] - trace["loss"][0]) / abs(trace["loss"][0])
    if rel > 1e-4:
        raise AssertionError(f"{name}: float32 loss differs by {rel:.2e} relative")


def _verify_naive_agrees(name, cfg, backbone, weights, inputs, trace):
    """Paper-mode Sparse-Tuning / TS-only: the per-sample matrix formulation (naive.py) must give the
    same loss and gradients."""
    if cfg["method"] not in ("sparse-tuning", "token-sparsification") or cfg["dense_mode"] != "paper":
        return
    t = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in fit_backbone(backbone, cfg).items()}
    train = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)).requires_grad_(True) for k, v in weights.items()}
    t.update(train)
    images = torch.from_numpy(inputs["images"].astype(np.float64))
    logits = torch.stack([naive_logits(cfg, t, img) for img in images])
    loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(inputs["labels"]))
    grads = torch.autograd.grad(loss, list(train.values()))
    if abs(loss.item() - float(trace["loss"][0])) > 1e-5 * abs(loss.item()):
        raise AssertionError(f"{name}: naive loss {loss.item()} != {trace['loss'][0]}")
    for (k, _), g in zip(train.items(), grads):
        want = trace["grad." + k].astype(np.float64)
        err = np.abs(g.numpy() - want).max() / (np.abs(want).max() + 1e-30)
        if err > 1e-5:
            raise AssertionError(f"{name}: naive gradient of {k} differs by {err:.2e} (relative to max)")


def _write_defaults(out_dir):
    """The reference's config defaults, so the Java tests can check that an omitted field means the same in both."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "torchref_defaults.json"), "w") as f:
        json.dump({"defaults": DEFAULTS, "method_defaults": METHOD_DEFAULTS}, f, indent=2)
        f.write("\n")


def main(argv):
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    out_dir = argv[1] if len(argv) > 1 else os.path.join(root, "vit", "src", "test", "resources", "golden")
    torch.set_num_threads(1)   # deterministic float64 sums
    selfchecks.run_all()
    _write_defaults(out_dir)
    for name, (raw_cfg, batch, _) in CASES.items():
        make_case(name, raw_cfg, batch, out_dir)
    sizes = {}
    for dp, _, fs in os.walk(out_dir):
        for f in fs:
            with open(os.path.join(dp, f), "rb") as fh:
                data = fh.read()
            sizes[zlib.crc32(data)] = len(data)
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(out_dir) for f in fs)
    print(f"golden files: {total / 1e6:.2f} MB on disk, {sum(sizes.values()) / 1e6:.2f} MB distinct content "
          f"(identical backbones are one git blob) in {out_dir}")


if __name__ == "__main__":
    main(sys.argv)
