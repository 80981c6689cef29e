package org.sparsetuning.opencl.jocl;

import static org.sparsetuning.opencl.jocl.ClTensors.assertClose;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.random.Generator;

/**
 * The row kernels (softmax, layer norm, row reductions) with every work-group size a device may get: a CPU
 * device runs 8 items per row by default and a GPU 256, so the conformance suite alone would leave the GPU
 * sizes untested on PoCL. Rows shorter and longer than the group, views included.
 */
class RowGroupSizesTest {
    private Device dev;
    private final Generator gen = new Generator(31);

    @BeforeEach
    void device() {
        dev = ClTestDevice.require();
    }

    @AfterEach
    void reset() {
        System.clearProperty("sparsetuning.opencl.rowGroups");
    }

    private static Tensor out(Backend be, int... shape) {
        return Ops.empty(DType.F32, shape, be);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 128, 64, 32, 8})
    void rowKernelsAgreeWithTheReference(int group) {
        System.setProperty("sparsetuning.opencl.rowGroups", Integer.toString(group));
        Backend ref = Backends.reference();
        Backend cl = dev.backend();
        for (int n : new int[] {1, 7, 197, 773}) {
            Tensor x = Tensor.randn(gen, 5, n + 2).to(dev).narrow(1, 1, n); // a strided view on the device
            Tensor xh = x.to(Devices.cpu());                                  // the same values on the host
            String what = "group " + group + ", rows of " + n;
            for (boolean log : new boolean[] {false, true}) {
                Tensor e = out(ref, 5, n);
                Tensor a = out(cl, 5, n);
                ref.softmax(xh, log, e);
                cl.softmax(x, log, a);
                assertClose(e, a, 1e-5, 1e-5, (log ? "log-softmax " : "softmax ") + what);
                Tensor dy = Tensor.randn(gen, 5, n);
                Tensor de = out(ref, 5, n);
                Tensor da = out(cl, 5, n);
                ref.softmaxBackward(e, dy, log, de);
                cl.softmaxBackward(e.to(dev), dy.to(dev), log, da);
                assertClose(de, da, 1e-5, 1e-5, "softmax backward " + what);
            }
            Tensor w = Tensor.randn(gen, n);
            Tensor b = Tensor.randn(gen, n);
            Tensor oe = out(ref, 5, n);
            Tensor me = out(ref, 5);
            Tensor re = out(ref, 5);
            Tensor oa = out(cl, 5, n);
            Tensor ma = out(cl, 5);
            Tensor ra = out(cl, 5);
            ref.layerNorm(xh, w, b, 1e-5, oe, me, re);
            cl.layerNorm(x, w.to(dev), b.to(dev), 1e-5, oa, ma, ra);
            assertClose(oe, oa, 1e-4, 1e-5, "layer norm " + what);
            assertClose(me, ma, 1e-5, 1e-6, "layer norm mean " + what);
            Tensor dy = Tensor.randn(gen, 5, n);
            Tensor dxe = out(ref, 5, n);
            Tensor dxa = out(cl, 5, n);
            ref.layerNormBackward(dy, xh, w, me, re, dxe, null, null);
            cl.layerNormBackward(dy.to(dev), x, w.to(dev), ma, ra, dxa, null, null);
            assertClose(dxe, dxa, 1e-4, 1e-4, "layer norm dx " + what);
            for (ReduceOp op : ReduceOp.values()) {
                Tensor se = out(ref, 5, 1);
                Tensor sa = out(cl, 5, 1);
                ref.reduce(op, xh, 1, se);
                cl.reduce(op, x, 1, sa);
                assertClose(se, sa, 1e-5, 1e-5 * Math.sqrt(n), op + " over rows, " + what);
            }
        }
    }
}
