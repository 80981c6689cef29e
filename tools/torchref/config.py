"""Model configuration (SPEC G fields plus the documented options), with defaults and validation."""
import json
import math

METHODS = ("sparse-tuning", "token-sparsification", "linear-probe", "lora", "adaptformer", "kadaptation")

DEFAULTS = {
    # SPEC G fields
    "img_size": 224, "patch_size": 16, "in_chans": 3, "embed_dim": 768, "depth": 12, "num_heads": 12,
    "mlp_ratio": 4.0, "num_classes": 100, "adapter_dim": 32, "adapter_scale": 1.0, "keep_rate": 0.7,
    "ts_layers": [4, 7, 10], "method": "sparse-tuning",
    # options (see README.md / NAMES.md)
    "fusion": "sum",                 # sum | weighted-average | drop
    "dense_mode": "paper",           # paper (SPEC A.3) | code (SPEC A.4)
    "dense_inputs": [1, 3],          # paper mode: DA_N reads x_DA_{N-j} for each j listed (if N > j)
    "code_adapter_dims": [64, 32],   # code mode: hidden sizes of the nested adapter
    "head_mode": "linear",           # linear | bn-linear (BatchNorm1d(affine=False, eps 1e-6) then Linear)
    "lora_rank": 4, "lora_alpha": 8.0,
    "adaptformer_input": "residual",  # residual (un-normalised FFN residual input) | ln2 (LN2 output)
    "kadapt_n": 32, "kadapt_rank": 1, "kadapt_scale": 160.0,
    "kadapt_delta_after_scale": True,  # q_delta added after q is scaled by head_dim^-0.5 (SPEC C.2); False: before
    # clips (SPEC H): num_frames T (0 = an image model), tubelet_size t
    "num_frames": 0, "tubelet_size": 2,
}

# Defaults that depend on the method when the config omits the field: AdaptFormer's usual bottleneck 64 and scale 0.1
# (the Java engine's VitConfig has the same rule).
METHOD_DEFAULTS = {"adaptformer": {"adapter_dim": 64, "adapter_scale": 0.1}}


def load_config(path):
    with open(path) as f:
        raw = json.load(f)
    return make_config(raw, source=path)


def make_config(raw, source="<config>"):
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{source}: unknown config fields {sorted(unknown)}")
    cfg = dict(DEFAULTS)
    cfg.update(METHOD_DEFAULTS.get(raw.get("method", DEFAULTS["method"]), {}))
    cfg.update(raw)
    check(cfg, source)
    return cfg


def check(cfg, source="<config>"):
    def fail(msg):
        raise ValueError(f"{source}: {msg}")
    if cfg["method"] not in METHODS:
        fail(f"method must be one of {METHODS}, got {cfg['method']!r}")
    if cfg["img_size"] % cfg["patch_size"]:
        fail(f"img_size {cfg['img_size']} is not a multiple of patch_size {cfg['patch_size']}")
    if cfg["embed_dim"] % cfg["num_heads"]:
        fail(f"embed_dim {cfg['embed_dim']} is not divisible by num_heads {cfg['num_heads']}")
    hidden = cfg["embed_dim"] * cfg["mlp_ratio"]
    if hidden != int(hidden):
        fail(f"embed_dim*mlp_ratio = {hidden} is not an integer")
    if not (0.0 < cfg["keep_rate"] <= 1.0):
        fail(f"keep_rate must be in (0, 1], got {cfg['keep_rate']}")
    layers = cfg["ts_layers"]
    if list(layers) != sorted(set(layers)) or any(n < 1 or n > cfg["depth"] for n in layers):
        fail(f"ts_layers must be strictly increasing 1-based layer numbers <= depth, got {layers}")
    if any(not isinstance(j, int) or j < 1 for j in cfg["dense_inputs"]):
        fail(f"dense_inputs must be positive layer offsets, got {cfg['dense_inputs']}")
    if cfg["fusion"] not in ("sum", "weighted-average", "drop"):
        fail(f"fusion must be sum | weighted-average | drop, got {cfg['fusion']!r}")
    if cfg["dense_mode"] not in ("paper", "code"):
        fail(f"dense_mode must be paper | code, got {cfg['dense_mode']!r}")
    if cfg["dense_mode"] == "code" and cfg["method"] == "sparse-tuning":
        if cfg["depth"] != 12 or list(layers) != [4, 7, 10]:
            fail("dense_mode=code hard-codes depth 12 with ts_layers [4, 7, 10] (SPEC A.4)")
    if cfg["head_mode"] not in ("linear", "bn-linear"):
        fail(f"head_mode must be linear | bn-linear, got {cfg['head_mode']!r}")
    if cfg["adaptformer_input"] not in ("residual", "ln2"):
        fail(f"adaptformer_input must be residual | ln2, got {cfg['adaptformer_input']!r}")
    if not isinstance(cfg["num_frames"], int) or cfg["num_frames"] < 0:
        fail(f"num_frames must be 0 (images) or a positive frame count, got {cfg['num_frames']!r}")
    if not isinstance(cfg["tubelet_size"], int) or cfg["tubelet_size"] < 1:
        fail(f"tubelet_size must be a positive frame count, got {cfg['tubelet_size']!r}")
    if cfg["num_frames"] % cfg["tubelet_size"]:
        fail(f"num_frames {cfg['num_frames']} is not a multiple of tubelet_size {cfg['tubelet_size']}")
    if cfg["method"] == "kadaptation" and cfg["embed_dim"] % cfg["kadapt_n"]:
        fail(f"kadapt_n {cfg['kadapt_n']} must divide embed_dim {cfg['embed_dim']}")


SPEC_FIELDS = ("img_size", "patch_size", "in_chans", "embed_dim", "depth", "num_heads", "mlp_ratio",
               "num_classes", "adapter_dim", "adapter_scale", "keep_rate", "ts_layers", "method")


def explicit_config(cfg):
    """Every SPEC G field plus each option that affects this method, so a reader needs no defaults."""
    keys = list(SPEC_FIELDS) + ["head_mode"]
    if cfg["num_frames"]:
        keys += ["num_frames", "tubelet_size"]
    if cfg["ts_layers"]:
        keys.append("fusion")
    method = cfg["method"]
    if method == "sparse-tuning":
        keys += ["dense_mode"] + (["dense_inputs"] if cfg["dense_mode"] == "paper" else ["code_adapter_dims"])
    elif method == "lora":
        keys += ["lora_rank", "lora_alpha"]
    elif method == "adaptformer":
        keys.append("adaptformer_input")
    elif method == "kadaptation":
        keys += ["kadapt_n", "kadapt_rank", "kadapt_scale", "kadapt_delta_after_scale"]
    return {k: cfg[k] for k in keys}


def is_clip(cfg):
    return cfg["num_frames"] > 0


def time_steps(cfg):
    """T' = T / t token time steps of a clip (SPEC H); 1 for an image."""
    return cfg["num_frames"] // cfg["tubelet_size"] if is_clip(cfg) else 1


def grid_patches(cfg):
    """Patches of one frame: (H/P)^2."""
    return (cfg["img_size"] // cfg["patch_size"]) ** 2


def num_patches(cfg):
    """Patch tokens of one sample, (time, row, column) order for a clip."""
    return time_steps(cfg) * grid_patches(cfg)


def input_shape(cfg, batch):
    s = cfg["img_size"]
    if is_clip(cfg):
        return (batch, cfg["in_chans"], cfg["num_frames"], s, s)
    return (batch, cfg["in_chans"], s, s)


def keep_count(keep_rate, n_candidates):
    """k = ceil(rho * (N-1)) on a double, exactly as Python's math.ceil (SPEC A.2 step 4)."""
    return int(math.ceil(keep_rate * n_candidates))
