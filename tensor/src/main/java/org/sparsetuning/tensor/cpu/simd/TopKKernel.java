package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.parallel.Parallel;

/**
 * The k largest entries of each last-dimension row, descending, ties broken by the lower index (the
 * reference's order). Each (value, index) pair is packed into one long whose natural order is exactly that
 * order (value bits flipped to descending in the high word, index in the low word), so ranking is primitive
 * long comparisons with no tie logic. Sparse-Tuning keeps about 70% of 196 tokens, so a quickselect first
 * moves the k winners to the front (linear time) and only those are sorted.
 */
final class TopKKernel {
    private TopKKernel() {
    }

    /** A long that sorts ascending as (value descending, index ascending). −0 and +0 compare equal. */
    static long key(float v, int index) {
        int bits = Float.floatToIntBits(v + 0.0f);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | (index & 0xffffffffL);
    }

    static void run(Tensor x, int k, Tensor values, Tensor indices) {
        int n = x.size(-1);
        Layout rows = Layout.rowsOf(x);
        Layout outRows = Layout.rowsOf(values, indices);
        int sx = x.stride(-1);
        int sv = values.stride(-1);
        int si = indices.stride(-1);
        float[] xs = Arrays.f32(x);
        float[] vs = Arrays.f32(values);
        int[] is = Arrays.i32(indices);
        if (k == 0) {
            return;
        }
        Parallel.forRange(rows.numel(), Math.max(1, 4096 / Math.max(1, n)), (lo, hi) -> {
            long[] keys = new long[n];
            for (int r = lo; r < hi; r++) {
                int xo = rows.offsetOf(0, r);
                for (int j = 0; j < n; j++) {
                    keys[j] = key(xs[xo + j * sx], j);
                }
                selectSmallest(keys, n, k);
                java.util.Arrays.sort(keys, 0, k);
                int vo = outRows.offsetOf(0, r);
                int io = outRows.offsetOf(1, r);
                for (int t = 0; t < k; t++) {
                    int j = (int) keys[t];
                    vs[vo + t * sv] = xs[xo + j * sx];
                    is[io + t * si] = j;
                }
            }
        });
    }

    /** Reorders a[0..n) so that its k smallest values occupy a[0..k) (in any order): Hoare quickselect. */
    static void selectSmallest(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (hi > lo && k > lo && k <= hi) {
            int mid = (lo + hi) >>> 1;
            long pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // Now a[lo..j] ≤ pivot ≤ a[i..hi]; keep refining the side that holds position k.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
