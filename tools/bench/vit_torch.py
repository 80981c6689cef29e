#!/usr/bin/env python3
"""Times and measures whole-model cases in PyTorch CPU with the project's independent reference model
(tools/torchref), the peer of `./sparse-tune bench-model`.

Reads a JSON list of cases on stdin; writes one JSON object per case on stdout:
  {"id", "seconds", "saved_mib", "peak_mib"}
Each case: {"id", "kind": inference|train, "method": sparse-tuning|adaptformer|full|..., "keep_rate",
            "adapter_dim", "batch", "img_size", "embed_dim", "depth", "num_heads", "seconds", "runs"}

- seconds: median wall time of one call (inference: forward under no_grad in eval mode; train: forward, loss,
  backward and an AdamW step over the trainable tensors), after warm-up.
- saved_mib: bytes autograd keeps for backward at the end of the forward pass (saved-tensor hooks, each storage
  once, the model's own parameters excluded): what the activations of a training step cost.
- peak_mib: peak resident memory of one call above the resident memory before it (VmHWM after resetting it
  through /proc/self/clear_refs). The caller sets MALLOC_MMAP_THRESHOLD_ so that every tensor buffer is its own
  mapping and freed memory leaves the resident set at once: the peak is then the peak of live tensor bytes plus
  small allocations.
The caller sets OMP_NUM_THREADS / OMP_WAIT_POLICY=PASSIVE; this script also calls torch.set_num_threads.
"""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torchref"))

import torch  # noqa: E402

from config import make_config  # noqa: E402
from model import PeftModel, cross_entropy  # noqa: E402

MIB = 1024.0 * 1024.0


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def build(case):
    method = case["method"]
    raw = {"img_size": case.get("img_size", 224), "embed_dim": case.get("embed_dim", 768),
           "depth": case.get("depth", 12), "num_heads": case.get("num_heads", 12), "num_classes": 100,
           "method": "linear-probe" if method == "full" else method,
           "keep_rate": case.get("keep_rate", 1.0)}
    if method in ("sparse-tuning", "adaptformer") and "adapter_dim" in case:
        raw["adapter_dim"] = case["adapter_dim"]
    if method == "full" or raw["keep_rate"] >= 1.0:
        raw["ts_layers"] = []
    model = PeftModel(make_config(raw))
    if method == "full":
        for p in model.backbone.parameters():
            p.requires_grad_(True)
    g = torch.Generator().manual_seed(1)
    for name, p in model.trainable.named_parameters():   # non-zero adapters: every path carries signal
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def run_case(case):
    torch.manual_seed(0)
    model = build(case)
    b, size = case["batch"], case.get("img_size", 224)
    images = torch.randn(b, 3, size, size)
    labels = torch.randint(0, 100, (b,))
    params = [p for p in model.parameters() if p.requires_grad]
    if case["kind"] == "inference":
        model.eval()

        def step():
            with torch.no_grad():
                model(images)
    else:
        model.train()
        opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.05)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = cross_entropy(model(images), labels)
            loss.backward()
            opt.step()

    for _ in range(2):
        step()
    times = []
    start = time.perf_counter()
    while len(times) < case.get("runs", 3) or time.perf_counter() - start < case.get("seconds", 5.0):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
        if len(times) >= 50:
            break
    out = {"id": case["id"], "seconds": statistics.median(times), "runs": len(times)}

    before = status_kib("VmRSS")
    if reset_peak():
        step()
        out["peak_mib"] = (status_kib("VmHWM") - before) / 1024.0
    if case["kind"] == "train":
        out["saved_mib"] = saved_bytes(model, images, labels) / MIB
    return out


def saved_bytes(model, images, labels):
    own = {p.data_ptr() for p in model.parameters()}
    seen = set()
    total = [0]

    def pack(t):
        s = t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage()
        ptr = s.data_ptr()
        if ptr not in own and ptr not in seen:
            seen.add(ptr)
            total[0] += s.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = cross_entropy(model(images), labels)
    del loss
    return total[0]


def main():
    cases = json.load(sys.stdin)
    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    print(json.dumps({"id": "_info", "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for case in cases:
        print(json.dumps(run_case(case)), flush=True)


if __name__ == "__main__":
    main()
