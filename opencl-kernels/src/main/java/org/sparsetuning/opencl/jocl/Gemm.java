package org.sparsetuning.opencl.jocl;

import java.util.Arrays;
import org.jocl.cl_mem;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;

/**
 * Batched matrix products on gemm_tiled.cl. Operands are passed as they are (row-major, transposed or strided
 * views; batch dimensions may be broadcast with stride 0), so a Linear layer's transposed weight costs no copy.
 * Two tile configurations: 64×64 outputs per work-group (64 items, 8×8 outputs each: 16 local-memory reads
 * feed 64 FMAs) for large products, 32×32 (64 items, 4×4 each) when the large tiles would leave the device's
 * compute units idle. On PoCL the 8×8 blocking measured 3.5x the speed of 64×64 tiles with 4×4 per item (256
 * items), 7.5 against 2.2 GFLOP/s at 512³; no GPU was available to tune on.
 */
final class Gemm extends Launcher {
    /** Tile sizes, the -D options of one gemm_tiled build. */
    record Tiles(int tsm, int tsn, int tsk, int wptm, int wptn) {
        String options() {
            return "-DTSM=" + tsm + " -DTSN=" + tsn + " -DTSK=" + tsk + " -DWPTM=" + wptm + " -DWPTN=" + wptn;
        }

        int itemsM() {
            return tsm / wptm;
        }

        int itemsN() {
            return tsn / wptn;
        }

        /** Local memory of the two tiles, bytes. */
        long localBytes() {
            return 4L * tsk * (tsm + tsn);
        }

        @Override
        public String toString() {
            return "gemm " + tsm + "x" + tsn + "x" + tsk + " (" + wptm + "x" + wptn + " per item)";
        }
    }

    static final Tiles LARGE = new Tiles(64, 64, 16, 8, 8);
    static final Tiles SMALL = new Tiles(32, 32, 16, 4, 4);

    Gemm(ClContext ctx) {
        super(ctx);
    }

    ClKernel kernel(Tiles t) {
        return ctx.programs.kernel("gemm_tiled", t.options());
    }

    private boolean fits(Tiles t) {
        return kernel(t).maxWorkGroupSize >= (long) t.itemsM() * t.itemsN();
    }

    void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        f32("matmul", "out", out);
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(ctx.name + " matmul: out must be contiguous, got strides " + Shape.str(out.strides()));
        }
        int r = out.dim();
        int m = out.size(r - 2);
        int n = out.size(r - 1);
        int batches = out.numel() / Math.max(1, m * n);
        long groups = (long) ceilDiv(m, LARGE.tsm) * ceilDiv(n, LARGE.tsn) * batches;
        Tiles t = !fits(LARGE) || groups < 2L * ctx.info.computeUnits ? SMALL : LARGE;
        matmul(a, b, bias, act, out, t);
    }

    /** The product with the given tiles (tests run both configurations on every shape). */
    void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out, Tiles t) {
        cl_mem am = f32("matmul", "a", a);
        cl_mem bm = f32("matmul", "b", b);
        cl_mem cm = f32("matmul", "out", out);
        cl_mem biasm = bias == null ? cm : f32("matmul", "bias", bias);
        int r = out.dim();
        int m = out.size(r - 2);
        int n = out.size(r - 1);
        int k = a.size(r - 1);
        int[] batch = Arrays.copyOf(out.shape(), r - 2);
        Layout bl = Layout.of(batch, batchView(a, batch), batchView(b, batch));
        int batches = Shape.numel(batch);
        if (!fits(t)) {
            throw new IllegalStateException(ctx.name + ": " + t + " needs " + t.itemsM() * t.itemsN() + " work-items per group, the device allows "
                    + kernel(t).maxWorkGroupSize);
        }
        ClKernel kern = kernel(t);
        ClKernel.Args args = kern.args()
                .mem(am).i(a.offset()).i(a.stride(r - 2)).i(a.stride(r - 1))
                .mem(bm).i(b.offset()).i(b.stride(r - 2)).i(b.stride(r - 1))
                .mem(cm).i(out.offset())
                .mem(biasm).i(bias == null ? 0 : bias.offset()).i(bias == null ? 0 : bias.stride(0)).i(bias == null ? 0 : 1)
                .i(act.ordinal())
                .i(m).i(n).i(k)
                .i(bl.rank).int8(bl.shape8).int8(bl.strides8[0]).int8(bl.strides8[1]);
        long[] global = {(long) ceilDiv(n, t.tsn) * t.itemsN(), (long) ceilDiv(m, t.tsm) * t.itemsM(), batches};
        ctx.launch(kern, args, global, new long[] {t.itemsN(), t.itemsM(), 1});
    }

    /** The batch dimensions of a matrix operand as a view of their own (offsets live in the matrix args). */
    private static Tensor batchView(Tensor x, int[] batch) {
        int[] st = Arrays.copyOf(x.strides(), batch.length);
        return new Tensor(x.storage(), batch, st, 0);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
