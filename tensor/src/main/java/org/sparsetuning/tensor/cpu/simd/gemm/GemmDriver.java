package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * The blocked loop nest over one matrix product, for a range of rows and B panels (one thread's share):
 * for each MC block of rows, for each KC block of K, pack that A block, then run the micro-kernel over every
 * (B panel, 8-row tile) pair, accumulating into C from the second K block on and applying the epilogue after
 * the last.
 */
final class GemmDriver {
    private static final int MR = MicroKernel8x3v.MR;

    private GemmDriver() {
    }

    /**
     * C rows [i0, i1) x the columns of panels [p0, p1) of pb, where C row i starts at c[cOff + i * ldc].
     */
    static void multiply(MatrixView a, PackedB pb, float[] c, int cOff, int ldc,
                         int i0, int i1, int p0, int p1, Epilogue ep) {
        Scratch s = Scratch.get();
        int kTotal = pb.k;
        int kBlocks = Blocking.ceilDiv(kTotal, Blocking.KC);
        int kcMax = Blocking.ceilDiv(kTotal, kBlocks); // equal blocks: no thin last block
        float[] ap = s.a(Blocking.MC * kcMax);
        // Packing A costs about as much as one panel's worth of FMAs on it, so with few panels to share the
        // packed copy (attention's N = 64) the kernel reads A in place through its strides instead.
        boolean inPlace = p1 - p0 <= Blocking.IN_PLACE_A_PANELS;
        for (int m0 = i0; m0 < i1; m0 += Blocking.MC) {
            int mc = Math.min(Blocking.MC, i1 - m0);
            for (int k0 = 0; k0 < kTotal; k0 += kcMax) {
                int kc = Math.min(kcMax, kTotal - k0);
                boolean first = k0 == 0;
                boolean last = k0 + kc == kTotal;
                if (!inPlace) {
                    APacker.pack(a, m0, mc, k0, kc, ap);
                }
                for (int p = p0; p < p1; p++) {
                    int w = pb.width(p);
                    int j0 = pb.col0(p);
                    int cols = Math.min(w, pb.n - j0);
                    int bOff = pb.base(p) + k0 * w;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int rows = Math.min(MR, mc - ir);
                        int t = cOff + (m0 + ir) * ldc + j0;
                        float[] aa = ap;
                        int aOff = ir * kc;
                        int ars = 1;
                        int aks = MR;
                        if (inPlace && rows == MR) {
                            aa = a.data;
                            aOff = a.offset + (m0 + ir) * a.rowStride + k0 * a.colStride;
                            ars = a.rowStride;
                            aks = a.colStride;
                        } else if (inPlace) {
                            // The last rows: pack them, zero-padded, rather than read past the matrix.
                            aa = s.edgeA(MR * kc);
                            aOff = 0;
                            APacker.pack(a, m0 + ir, rows, k0, kc, aa);
                        }
                        if (rows == MR && cols == w) {
                            kernel(w, aa, aOff, ars, aks, pb.data, bOff, kc, c, t, ldc, !first);
                            if (last) {
                                ep.applyVectors(c, t, ldc, MR, j0, w);
                            }
                        } else {
                            kernel(w, aa, aOff, ars, aks, pb.data, bOff, kc, s.tile, 0, w, false);
                            storeEdge(s.tile, w, c, t, ldc, rows, cols, !first);
                            if (last) {
                                ep.applyScalar(c, t, ldc, rows, j0, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void kernel(int width, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int kc,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        if (width == MicroKernel8x3v.NR) {
            MicroKernel8x3v.multiply(a, aOff, ars, aks, b, bOff, kc, c, cOff, ldc, accumulate);
        } else if (width == MicroKernel8x2v.NR) {
            MicroKernel8x2v.multiply(a, aOff, ars, aks, b, bOff, kc, c, cOff, ldc, accumulate);
        } else {
            MicroKernel8x1v.multiply(a, aOff, ars, aks, b, bOff, kc, c, cOff, ldc, accumulate);
        }
    }

    /** Copies (or adds) the valid rows x cols corner of a whole tile computed into scratch. */
    private static void storeEdge(float[] tile, int ldt, float[] c, int cOff, int ldc, int rows, int cols,
                                  boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int d = cOff + r * ldc;
            int t = r * ldt;
            for (int j = 0; j < cols; j++) {
                c[d + j] = accumulate ? c[d + j] + tile[t + j] : tile[t + j];
            }
        }
    }
}
