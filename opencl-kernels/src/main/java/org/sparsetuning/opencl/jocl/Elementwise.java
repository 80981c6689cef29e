package org.sparsetuning.opencl.jocl;

import org.jocl.cl_mem;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;

/** fill, device-to-device copy, unary, binary and where: one work-item per element over strided views. */
final class Elementwise extends Launcher {
    Elementwise(ClContext ctx) {
        super(ctx);
    }

    void fill(Tensor dst, double value) {
        cl_mem d = mem("fill", "dst", dst);
        int bits = dst.dtype() == DType.F32 ? Float.floatToRawIntBits((float) value) : (int) value;
        if (dst.isContiguous()) {
            ctx.fill(d, dst.offset(), dst.numel(), bits);
            return;
        }
        Layout l = Layout.of(dst.shape(), dst);
        ClKernel k = ctx.programs.kernel("fill", "-DT=" + cType(dst.dtype()));
        ClKernel.Args a = k.args().mem(d).i(l.n).i(l.rank).int8(l.shape8).int8(l.strides8[0]).i(l.offsets[0]);
        if (dst.dtype() == DType.F32) {
            a.f((float) value);
        } else {
            a.i((int) value);
        }
        launch1d(k, a, l.n);
    }

    /**
     * One AdamW update in place (Backend.adamw): one work-item per element, p, m and v contiguous (Ops checks it), g
     * made contiguous first. One pass over the four tensors instead of the composed form's fifteen.
     */
    void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep s) {
        Tensor gc = g.contiguous();
        ClKernel k = ctx.programs.kernel("adamw", "");
        ClKernel.Args a = k.args().mem(f32("adamw", "parameter", p)).i(p.offset()).mem(f32("adamw", "gradient", gc)).i(gc.offset())
                .mem(f32("adamw", "first moment", m)).i(m.offset()).mem(f32("adamw", "second moment", v)).i(v.offset())
                .i(p.numel()).f((float) s.beta1()).f((float) s.oneMinusBeta1()).f((float) s.beta2()).f((float) s.oneMinusBeta2())
                .f((float) s.c2()).f((float) s.eps()).f((float) s.stepSize()).f((float) s.decayFactor())
                .i(s.weightDecay() != 0 ? 1 : 0);
        launch1d(k, a, p.numel());
    }

    /** dst ← src, both on this device, converting F32 ↔ I32 as Java's casts do. */
    void copy(Tensor src, Tensor dst) {
        cl_mem s = mem("copy", "src", src);
        cl_mem d = mem("copy", "dst", dst);
        Layout l = Layout.of(dst.shape(), src, dst);
        String conv = src.dtype() == dst.dtype() ? "" : dst.dtype() == DType.I32 ? "convert_int_sat_rtz" : "convert_float";
        ClKernel k = ctx.programs.kernel("copy", "-DSRC_T=" + cType(src.dtype()) + " -DDST_T=" + cType(dst.dtype()) + " -DCONV=" + conv);
        launch1d(k, k.args().mem(s).i(l.offsets[0]).int8(l.strides8[0]).mem(d).i(l.offsets[1]).int8(l.strides8[1])
                .i(l.n).i(l.rank).int8(l.shape8), l.n);
    }

    void unary(UnaryOp op, Tensor x, Tensor out) {
        cl_mem xm = mem("unary", "x", x);
        cl_mem om = f32("unary", "out", out);
        Layout l = Layout.of(out.shape(), x, out);
        ClKernel k = ctx.programs.kernel("unary", "-DX_T=" + cType(x.dtype()));
        launch1d(k, k.args().mem(xm).i(l.offsets[0]).int8(l.strides8[0]).mem(om).i(l.offsets[1]).int8(l.strides8[1])
                .i(l.n).i(l.rank).int8(l.shape8).i(op.ordinal()), l.n);
    }

    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        cl_mem am = mem("binary", "a", a);
        cl_mem bm = mem("binary", "b", b);
        cl_mem om = f32("binary", "out", out);
        Layout l = Layout.of(out.shape(), a, b, out);
        ClKernel k = ctx.programs.kernel("binary", "-DA_T=" + cType(a.dtype()) + " -DB_T=" + cType(b.dtype()));
        launch1d(k, k.args().mem(am).i(l.offsets[0]).int8(l.strides8[0]).mem(bm).i(l.offsets[1]).int8(l.strides8[1])
                .mem(om).i(l.offsets[2]).int8(l.strides8[2]).i(l.n).i(l.rank).int8(l.shape8).i(op.ordinal()), l.n);
    }

    void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        cl_mem mm = mem("where", "mask", mask);
        cl_mem am = mem("where", "a", a);
        cl_mem bm = mem("where", "b", b);
        cl_mem om = f32("where", "out", out);
        Layout l = Layout.of(out.shape(), mask, a, b, out);
        ClKernel k = ctx.programs.kernel("where", "-DM_T=" + cType(mask.dtype()) + " -DA_T=" + cType(a.dtype()) + " -DB_T=" + cType(b.dtype()));
        launch1d(k, k.args().mem(mm).i(l.offsets[0]).int8(l.strides8[0]).mem(am).i(l.offsets[1]).int8(l.strides8[1])
                .mem(bm).i(l.offsets[2]).int8(l.strides8[2]).mem(om).i(l.offsets[3]).int8(l.strides8[3])
                .i(l.n).i(l.rank).int8(l.shape8), l.n);
    }
}
