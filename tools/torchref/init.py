"""Training-time initialisation of the trainable tensors (SPEC A.3 recommendation, C.2 fix 2).
Down-projections Kaiming-uniform(a=sqrt 5) (= nn.Linear default), ups and biases zero, LoRA B zero,
KAdaptation: shared A factors U(-0.01, 0.01), b_left Glorot-uniform, b_right zero, bias zero.
The golden cases do NOT use this (they use random non-zero values so every path matters)."""
import math

import torch


ZERO_SUFFIXES = (".up.weight", ".up2.weight", ".up1.weight", ".B", ".b_right", "kadapt_bias")


def init_for_training(model, generator=None):
    with torch.no_grad():
        # The method's own tensors and the head; backbone tensors a method trains (BitFit) keep their loaded values.
        for name, p in model.trainable.named_parameters():
            if name.endswith("norm.weight"):       # an adapter's own LayerNorm starts as the identity's scale
                p.fill_(1.0)
            elif name.endswith(".prompt"):
                raise ValueError("VPT prompts have no zero-effect initialisation; they are not covered here")
            elif name.endswith(".bias") or name.endswith(ZERO_SUFFIXES):
                p.zero_()
            elif name.endswith(("a_left", "a_right")):
                p.uniform_(-0.01, 0.01, generator=generator)
            elif name.endswith("b_left"):
                fan_in, fan_out = p.shape[-2], p.shape[-1]
                bound = math.sqrt(6.0 / (fan_in + fan_out))
                p.uniform_(-bound, bound, generator=generator)
            elif name.endswith(".A") or p.dim() == 2:
                # Kaiming-uniform with a = sqrt(5) reduces to U(-1/sqrt(fan_in), 1/sqrt(fan_in))
                bound = 1.0 / math.sqrt(p.shape[1])
                p.uniform_(-bound, bound, generator=generator)
            else:
                raise ValueError(f"no initialisation rule for trainable tensor {name}")
