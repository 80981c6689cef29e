package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.IntStorage;

/** Backing arrays of CPU tensors, and the strided staging copies the kernels use for non-unit strides. */
final class Arrays {
    private Arrays() {
    }

    static float[] f32(Tensor t) {
        return ((FloatStorage) t.storage()).array();
    }

    static int[] i32(Tensor t) {
        return ((IntStorage) t.storage()).array();
    }

    /** dst[0..n) ← src[off + i·stride]. */
    static void gather(float[] src, int off, int stride, float[] dst, int n) {
        if (stride == 1) {
            System.arraycopy(src, off, dst, 0, n);
            return;
        }
        for (int i = 0, p = off; i < n; i++, p += stride) {
            dst[i] = src[p];
        }
    }

    /** dst[off + i·stride] ← src[i] for i < n. */
    static void scatter(float[] src, int n, float[] dst, int off, int stride) {
        if (stride == 1) {
            System.arraycopy(src, 0, dst, off, n);
            return;
        }
        for (int i = 0, p = off; i < n; i++, p += stride) {
            dst[p] = src[i];
        }
    }
}
