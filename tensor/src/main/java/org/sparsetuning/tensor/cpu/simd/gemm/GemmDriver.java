package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked loop nest over one matrix product, for a range of rows and B panels (one thread's share): the
 * micro-kernel runs over every (B panel, 8-row tile) pair of each K block, accumulating into C from the second
 * K block on and applying the epilogue after the last. Two loop orders, by where B comes from: packed whole
 * ({@link #panelGroups}) or packed as used ({@link #rowBlocks}).
 */
final class GemmDriver {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = MicroKernel8x3v.MR;

    private GemmDriver() {
    }

    /**
     * C rows [i0, i1) x the columns of panels [p0, p1) of pb, where C row i starts at c[cOff + i * ldc].
     */
    static void multiply(MatrixView a, PackedB pb, float[] c, int cOff, int ldc,
                         int i0, int i1, int p0, int p1, Epilogue ep) {
        // A with a unit stride (row- or column-major, as Ops guarantees) is read in place: the kernel's
        // broadcasts follow 8 sequential streams as well as one packed stream, and packing would cost about
        // half a panel's FMAs (measured: in place was 0-5% faster on the ViT shapes, 10% on attention's).
        // Only the last, partial group of 8 rows is packed (zero-padded), so no tile reads past the matrix.
        boolean inPlace = a.rowMajor() || a.colMajor();
        if (inPlace && pb.data != null) {
            panelGroups(a, pb, c, cOff, ldc, i0, i1, p0, p1, ep);
        } else {
            rowBlocks(a, inPlace, pb, c, cOff, ldc, i0, i1, p0, p1, ep);
        }
    }

    /**
     * B packed whole and A read in place: for each group of panels (half an L2 of deep K blocks), for each K
     * block, each 8-row tile of A is loaded into L1 once and multiplied by every panel of the group. Measured
     * against {@link #rowBlocks} on ViT-B's batch-8 shapes with B packed, 2 threads: 2-7% faster (scratch timings
     * of the loop alone; the kernel with its C tile kept in L1 is 8% faster still, the rest of C's traffic).
     */
    private static void panelGroups(MatrixView a, PackedB pb, float[] c, int cOff, int ldc,
                                    int i0, int i1, int p0, int p1, Epilogue ep) {
        Scratch s = Scratch.get();
        int kTotal = pb.k;
        int kcMax = Blocking.kBlockDepth(kTotal);
        int group = Blocking.panelGroup(kcMax);
        int fullRows = (i1 - i0) - (i1 - i0) % MR;
        float[] ap = s.a(MR * kcMax);
        for (int g0 = p0; g0 < p1; g0 += group) {
            int g1 = Math.min(p1, g0 + group);
            for (int k0 = 0; k0 < kTotal; k0 += kcMax) {
                int kc = Math.min(kcMax, kTotal - k0);
                boolean first = k0 == 0;
                boolean last = k0 + kc == kTotal;
                if (fullRows < i1 - i0) {
                    APacker.pack(a, i0 + fullRows, i1 - i0 - fullRows, k0, kc, ap);
                }
                for (int ir = 0; ir < i1 - i0; ir += MR) {
                    for (int p = g0; p < g1; p++) {
                        tile(a, true, ap, pb, p, pb.data, pb.base(p) + k0 * pb.width(p), c, cOff, ldc, i0, ir, i1 - i0,
                                k0, kc, first, last, ep, s);
                    }
                }
            }
        }
    }

    /**
     * B packed as it is used, or A packed: for each MC block of rows, for each K block, run the micro-kernel over
     * every (B panel, 8-row tile) pair. Packed as used, each K block of a panel is packed once and then multiplied
     * by every row while it is in cache.
     */
    private static void rowBlocks(MatrixView a, boolean inPlace, PackedB pb, float[] c, int cOff, int ldc,
                                  int i0, int i1, int p0, int p1, Epilogue ep) {
        Scratch s = Scratch.get();
        int kTotal = pb.k;
        int kcMax = Blocking.kBlockDepth(kTotal);
        float[] ap = inPlace ? s.a(MR * kcMax) : s.a(Blocking.MC * kcMax);
        boolean asUsed = pb.data == null;
        float[] block = asUsed ? s.blockB((long) kcMax * PackedB.WIDE) : null;
        // B packed as used: all rows in one block when A is read in place, so each K block of a panel is packed
        // once and then multiplied by every row while it is in cache (A's rows stream from L2/L3 in place).
        int mcMax = asUsed && inPlace ? i1 - i0 : Blocking.MC;
        for (int m0 = i0; m0 < i1; m0 += mcMax) {
            int mc = Math.min(mcMax, i1 - m0);
            int fullRows = mc - mc % MR;
            for (int k0 = 0; k0 < kTotal; k0 += kcMax) {
                int kc = Math.min(kcMax, kTotal - k0);
                boolean first = k0 == 0;
                boolean last = k0 + kc == kTotal;
                if (!inPlace) {
                    APacker.pack(a, m0, mc, k0, kc, ap);
                } else if (fullRows < mc) {
                    APacker.pack(a, m0 + fullRows, mc - fullRows, k0, kc, ap);
                }
                for (int p = p0; p < p1; p++) {
                    float[] bData = pb.data;
                    int bOff = asUsed ? 0 : pb.base(p) + k0 * pb.width(p);
                    if (asUsed) {
                        pb.source.packBlock(pb, p, k0, kc, block);
                        bData = block;
                    }
                    for (int ir = 0; ir < mc; ir += MR) {
                        tile(a, inPlace, ap, pb, p, bData, bOff, c, cOff, ldc, m0, ir, mc, k0, kc, first, last, ep, s);
                    }
                }
            }
        }
    }

    /**
     * One 8-row tile of C against one B panel, over the K block [k0, k0 + kc), whose packed rows start at
     * bData[bOff].
     */
    private static void tile(MatrixView a, boolean inPlace, float[] ap, PackedB pb, int p, float[] bData, int bOff,
                             float[] c, int cOff, int ldc, int m0, int ir, int mc, int k0, int kc, boolean first,
                             boolean last, Epilogue ep, Scratch s) {
        int w = pb.width(p);
        int j0 = pb.col0(p);
        int cols = Math.min(w, pb.n - j0);
        int rows = Math.min(MR, mc - ir);
        int t = cOff + (m0 + ir) * ldc + j0;
        float[] aa = ap;
        int aOff = inPlace ? 0 : ir * kc;
        int ars = 1;
        int aks = MR;
        if (inPlace && rows == MR) {
            aa = a.data;
            aOff = a.offset + (m0 + ir) * a.rowStride + k0 * a.colStride;
            ars = a.rowStride;
            aks = a.colStride;
        }
        if (rows == MR && cols == w) {
            kernel(w, aa, aOff, ars, aks, bData, bOff, kc, c, t, ldc, !first);
            if (last) {
                ep.applyVectors(c, t, ldc, MR, j0, w);
            }
        } else {
            kernel(w, aa, aOff, ars, aks, bData, bOff, kc, s.tile, 0, w, false);
            storeEdge(s.tile, w, c, t, ldc, rows, cols, !first);
            if (last) {
                ep.applyAnyWidth(c, t, ldc, rows, j0, cols);
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

    /**
     * Copies (or adds) the valid rows x cols corner of a whole tile computed into scratch: whole vectors
     * first, then a scalar remainder (under one vector per row; no masks, which JDK 17 does not compile to
     * masked AVX-512 moves everywhere).
     */
    private static void storeEdge(float[] tile, int ldt, float[] c, int cOff, int ldc, int rows, int cols,
                                  boolean accumulate) {
        int vectorCols = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            int d = cOff + r * ldc;
            int t = r * ldt;
            for (int j = 0; j < vectorCols; j += L) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j);
                if (accumulate) {
                    v = v.add(FloatVector.fromArray(S, c, d + j));
                }
                v.intoArray(c, d + j);
            }
            for (int j = vectorCols; j < cols; j++) {
                c[d + j] = accumulate ? c[d + j] + tile[t + j] : tile[t + j];
            }
        }
    }
}
