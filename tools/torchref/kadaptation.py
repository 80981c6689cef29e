"""KAdaptation (SPEC C.1/C.2) on the q and v projections, with the official code's three defects fixed.

For projection p in {q, v} of block i, with n = kadapt_n, D = embed_dim, m = D/n:
    A_k = a_left[k] @ a_right[k]                 (n x n, shared by all blocks; one set per projection)
    B_k = b_left[k] @ b_right[k]                 (m x m, per block and projection, rank r)
    H   = sum_k kron(A_k, B_k)                   (D x D, used as (in, out): delta = x @ H)
    delta_p = (x @ H_p) * scale + bias           (x = LN1 output; bias shared by q and v of the block)
    q <- q * head_dim^-0.5 + delta_q             (default, SPEC C.2: the delta is added after q is scaled)
    q <- (q + delta_q) * head_dim^-0.5           (kadapt_delta_after_scale = false: before, as part of the projection)
    v += delta_v
Fixes (SPEC C.2): (1) v uses its own A set and its own B factors (the code built it from q's);
(2) training init makes b_left non-zero and b_right zero so gradients flow (see init.py);
(3) the delta is per token, heads split exactly as for q (no layout mix-up).
The code's dropout p=0.5 on H is a training-time option not used in traces (dropout off)."""
import torch
import torch.nn as nn

from vit import Hooks


class SharedA(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a_left = nn.Parameter(torch.zeros(n, n, 1))
        self.a_right = nn.Parameter(torch.zeros(n, 1, n))

    def matrices(self):
        return self.a_left @ self.a_right                 # [n, n, n]: A_k for each k


class KFactors(nn.Module):
    def __init__(self, n, m, rank):
        super().__init__()
        self.b_left = nn.Parameter(torch.zeros(n, m, rank))
        self.b_right = nn.Parameter(torch.zeros(n, rank, m))

    def matrices(self):
        return self.b_left @ self.b_right                 # [n, m, m]: B_k for each k


def kronecker_sum(a, b):
    """sum_k kron(a[k], b[k]); kron(A, B)[r*p + i, c*q + j] = A[r, c] * B[i, j]."""
    _, ar, ac = a.shape
    _, br, bc = b.shape
    return torch.einsum("krc,kij->ricj", a, b).reshape(ar * br, ac * bc)


class KAdaptation(Hooks):
    def __init__(self, tree, cfg):
        n, dim, rank = cfg["kadapt_n"], cfg["embed_dim"], cfg["kadapt_rank"]
        m = dim // n
        self.scale = cfg["kadapt_scale"]
        head_dim = dim // cfg["num_heads"]
        # the attention adds q deltas before its scaling: delta*sqrt(head_dim) there == delta after the scaling
        self.q_factor = head_dim ** 0.5 if cfg["kadapt_delta_after_scale"] else 1.0
        tree.kadaptation = nn.Module()
        tree.kadaptation.q = SharedA(n)
        tree.kadaptation.v = SharedA(n)
        self.shared = tree.kadaptation
        for blk in tree.blocks:
            blk.attn = nn.Module()
            blk.attn.kadapt_q = KFactors(n, m, rank)
            blk.attn.kadapt_v = KFactors(n, m, rank)
            blk.attn.kadapt_bias = nn.Parameter(torch.zeros(dim))
        self.attns = [blk.attn for blk in tree.blocks]

    def attn_deltas(self, i, xn):
        a = self.attns[i]
        h_q = kronecker_sum(self.shared.q.matrices(), a.kadapt_q.matrices())
        h_v = kronecker_sum(self.shared.v.matrices(), a.kadapt_v.matrices())
        dq = (xn @ h_q) * self.scale + a.kadapt_bias
        dv = (xn @ h_v) * self.scale + a.kadapt_bias
        return self.q_factor * dq, dv
