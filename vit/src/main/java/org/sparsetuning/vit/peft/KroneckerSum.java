package org.sparsetuning.vit.peft;

import org.sparsetuning.autograd.Variable;

/**
 * H = Σ_k kron(A_k, B_k) for A [n, a, c] and B [n, s, t], with kron(A, B)[i·s + j, l·t + u] = A[i, l]·B[j, u]
 * (SPEC C.1's convention). One matmul contracts k, [(i, l), k]·[k, (j, u)], and a permutation interleaves the
 * indices into (i, j, l, u); nothing Kronecker-specific needs its own backward.
 */
public final class KroneckerSum {
    private KroneckerSum() {
    }

    public static Variable of(Variable a, Variable b) {
        int n = a.size(0);
        if (b.size(0) != n) {
            throw new IllegalArgumentException("Kronecker sum: " + n + " A matrices but " + b.size(0) + " B matrices");
        }
        int ar = a.size(1);
        int ac = a.size(2);
        int br = b.size(1);
        int bc = b.size(2);
        Variable products = a.reshape(n, ar * ac).mT().matmul(b.reshape(n, br * bc));     // [(i, l), (j, u)]
        return products.reshape(ar, ac, br, bc).permute(0, 2, 1, 3).reshape(ar * br, ac * bc);
    }
}
