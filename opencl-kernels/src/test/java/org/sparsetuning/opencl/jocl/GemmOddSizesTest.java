package org.sparsetuning.opencl.jocl;

import static org.sparsetuning.opencl.jocl.ClTensors.assertClose;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.random.Generator;

/**
 * gemm_tiled in both tile configurations on sizes around the tile edges (one less, equal, one more than 16,
 * 32 and 64), on every operand layout the engine produces (row-major, transposed, narrowed windows with a row
 * stride larger than the row, batch broadcast with stride 0, permuted attention heads) and a strided bias,
 * against the reference backend's double-precision products.
 */
class GemmOddSizesTest {
    private static Device dev;
    private final Generator gen = new Generator(77);

    @BeforeEach
    void device() {
        dev = ClTestDevice.require();
    }

    /** {host, device} views of the same values: a [rows, cols] operand in the named layout. */
    private Tensor[] operand(String layout, int rows, int cols) {
        Tensor h;
        UnaryOperator<Tensor> view;
        switch (layout) {
            case "row-major":
                h = Tensor.randn(gen, rows, cols);
                view = t -> t;
                break;
            case "transposed":
                h = Tensor.randn(gen, cols, rows);
                view = Tensor::mT;
                break;
            case "window": // a narrowed window of a larger matrix: row stride cols + 5, offset 2 rows + 3
                h = Tensor.randn(gen, rows + 3, cols + 5);
                view = t -> t.narrow(0, 2, rows).narrow(1, 3, cols);
                break;
            case "transposed-window":
                h = Tensor.randn(gen, cols + 2, rows + 7);
                view = t -> t.narrow(0, 1, cols).narrow(1, 4, rows).mT();
                break;
            default:
                throw new IllegalArgumentException(layout);
        }
        return new Tensor[] {view.apply(h), view.apply(h.to(dev))};
    }

    private void check(Tensor[] a, Tensor[] b, Tensor[] bias, Activation act, int[] outShape, String what) {
        Tensor expected = Ops.empty(DType.F32, outShape, Backends.reference());
        Backends.reference().matmul(a[0], b[0], bias == null ? null : bias[0], act, expected);
        int k = a[0].size(-1);
        for (Gemm.Tiles t : new Gemm.Tiles[] {Gemm.LARGE, Gemm.SMALL}) {
            Tensor out = Ops.empty(DType.F32, outShape, dev.backend());
            ClTestDevice.backend().gemm().matmul(a[1], b[1], bias == null ? null : bias[1], act, out, t);
            assertClose(expected, out, 1e-4, 2e-5 * Math.sqrt(k), what + " with " + t);
        }
    }

    @Test
    void sizesAroundTheTileEdges() {
        int[] sizes = {1, 15, 16, 17, 31, 33, 63, 64, 65};
        String[] layouts = {"row-major", "transposed", "window", "transposed-window"};
        int c = 0;
        for (int m : sizes) {
            for (int n : sizes) {
                int k = sizes[(m + n) % sizes.length]; // a spread of depths without the full cube
                String la = layouts[c % 4];
                String lb = layouts[(c / 4) % 4];
                Activation act = Activation.values()[c % 3];
                Tensor[] bias = c % 2 == 0 ? null : stridedBias(n);
                c++;
                check(operand(la, m, k), operand(lb, k, n), bias, act, new int[] {m, n},
                        m + "x" + k + "x" + n + " a " + la + " b " + lb + " " + act + (bias != null ? " strided bias" : ""));
            }
        }
    }

    /** A bias read with stride 2 (every other element of a longer vector). */
    private Tensor[] stridedBias(int n) {
        Tensor h = Tensor.randn(gen, n, 2);
        return new Tensor[] {h.select(1, 0), h.to(dev).select(1, 0)};
    }

    @Test
    void deepAndWideProducts() {
        // K far beyond one tile step, N not a multiple of anything, the ViT MLP's 4x ratio in miniature.
        check(operand("row-major", 70, 385), operand("transposed", 385, 97), stridedBias(97), Activation.GELU, new int[] {70, 97},
                "70x385x97 fc1-like");
        check(operand("window", 3, 1000), operand("row-major", 1000, 5), null, Activation.NONE, new int[] {3, 5}, "3x1000x5 long K");
    }

    @Test
    void batchesWithBroadcastAndPermutedHeads() {
        // [2, 3, M, K] @ [K, N] broadcast over both batch dimensions (stride 0), and a permuted q @ k^T.
        Tensor ah = Tensor.randn(gen, 2, 3, 19, 33);
        Tensor bh = Tensor.randn(gen, 1, 1, 33, 21);
        Tensor bd = bh.to(dev);
        check(new Tensor[] {ah, ah.to(dev)}, new Tensor[] {bh.expand(2, 3, 33, 21), bd.expand(2, 3, 33, 21)}, null, Activation.RELU,
                new int[] {2, 3, 19, 21}, "batched, b broadcast");
        Tensor qh = Tensor.randn(gen, 2, 67, 3, 8);
        Tensor kh = Tensor.randn(gen, 2, 67, 3, 8);
        Tensor qd = qh.to(dev);
        Tensor kd = kh.to(dev);
        check(new Tensor[] {qh.permute(0, 2, 1, 3), qd.permute(0, 2, 1, 3)}, new Tensor[] {kh.permute(0, 2, 3, 1), kd.permute(0, 2, 3, 1)},
                null, Activation.NONE, new int[] {2, 3, 67, 67}, "attention scores, permuted heads");
    }

    @Test
    void emptyAndDegenerateShapes() {
        // K = 0: the product is the bias (or 0) through the activation; M = 0 launches nothing.
        Tensor[] a = {Tensor.zeros(4, 0), Tensor.zeros(4, 0).to(dev)};
        Tensor[] b = {Tensor.zeros(0, 3), Tensor.zeros(0, 3).to(dev)};
        check(a, b, stridedBias(3), Activation.RELU, new int[] {4, 3}, "K = 0");
        Tensor[] a0 = {Tensor.zeros(0, 5), Tensor.zeros(0, 5).to(dev)};
        Tensor[] b0 = operand("row-major", 5, 3);
        check(a0, b0, null, Activation.NONE, new int[] {0, 3}, "M = 0");
    }
}
