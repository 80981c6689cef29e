package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * copy (with F32 ↔ I32 conversion) and fill over arbitrary views. Both are pure data movement, so the work is
 * getting the loop shape right rather than arithmetic: {@link Layout} merges whatever dimensions it can, unit
 * strides become {@code System.arraycopy} / {@code Arrays.fill} (already vectorised intrinsics), and the
 * strided remainder is a simple loop per row (a transpose is inherently a gather).
 */
final class CopyKernel {
    private CopyKernel() {
    }

    static void copy(Tensor src, Tensor dst) {
        Layout l = Layout.of(dst.shape(), src, dst);
        int ss = l.innerStride(0);
        int sd = l.innerStride(1);
        DType from = src.dtype();
        DType to = dst.dtype();
        Segments.forEach(l, Segments.GRAIN * 4, (row, start, len) -> {
            int so = l.rowOffset(0, row) + start * ss;
            int d0 = l.rowOffset(1, row) + start * sd;
            if (from == DType.F32 && to == DType.F32) {
                float[] s = Arrays.f32(src);
                float[] d = Arrays.f32(dst);
                if (ss == 1 && sd == 1) {
                    System.arraycopy(s, so, d, d0, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        d[d0 + i * sd] = s[so + i * ss];
                    }
                }
            } else if (from == DType.I32 && to == DType.I32) {
                int[] s = Arrays.i32(src);
                int[] d = Arrays.i32(dst);
                if (ss == 1 && sd == 1) {
                    System.arraycopy(s, so, d, d0, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        d[d0 + i * sd] = s[so + i * ss];
                    }
                }
            } else if (from == DType.F32) {
                float[] s = Arrays.f32(src);
                int[] d = Arrays.i32(dst);
                for (int i = 0; i < len; i++) {
                    d[d0 + i * sd] = (int) s[so + i * ss];
                }
            } else {
                int[] s = Arrays.i32(src);
                float[] d = Arrays.f32(dst);
                for (int i = 0; i < len; i++) {
                    d[d0 + i * sd] = s[so + i * ss];
                }
            }
        });
    }

    static void fill(Tensor dst, double value) {
        Layout l = Layout.of(dst.shape(), dst);
        int sd = l.innerStride(0);
        boolean f32 = dst.dtype() == DType.F32;
        float fv = (float) value;
        int iv = (int) value;
        Segments.forEach(l, Segments.GRAIN * 4, (row, start, len) -> {
            int o = l.rowOffset(0, row) + start * sd;
            if (f32) {
                float[] d = Arrays.f32(dst);
                if (sd == 1) {
                    java.util.Arrays.fill(d, o, o + len, fv);
                } else {
                    for (int i = 0; i < len; i++) {
                        d[o + i * sd] = fv;
                    }
                }
            } else {
                int[] d = Arrays.i32(dst);
                if (sd == 1) {
                    java.util.Arrays.fill(d, o, o + len, iv);
                } else {
                    for (int i = 0; i < len; i++) {
                        d[o + i * sd] = iv;
                    }
                }
            }
        });
    }
}
