package org.sparsetuning.opencl.jocl;

import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.IntStorage;
import org.sparsetuning.tensor.storage.Storage;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Copies between the host and this device (Backend.copy's crossing case). Only contiguous runs of elements
 * travel: a strided or differently typed source is first made contiguous on its own side (the CPU backend on
 * the host, the copy kernel on the device), and a strided destination is filled from a contiguous staging copy
 * on its side. So one crossing is one bulk transfer, whatever the views.
 */
final class Crossing extends Launcher {
    private final Elementwise elementwise;

    Crossing(ClContext ctx, Elementwise elementwise) {
        super(ctx);
        this.elementwise = elementwise;
    }

    /** Temporaries (host conversions, device staging) live in a scope of their own and are freed on return. */
    void upload(Tensor host, Tensor dst) {
        mem("copy", "dst", dst);
        try (TensorScope scope = TensorScope.open()) {
            Tensor src = hostContiguous(host, dst.dtype());
            if (dst.isContiguous()) {
                write(src, dst);
                return;
            }
            Tensor staged = new Tensor(new ClStorage(ctx, dst.dtype(), dst.numel()), dst.shape(), Shape.contiguousStrides(dst.shape()), 0);
            write(src, staged);
            elementwise.copy(staged, dst);
        }
    }

    void download(Tensor src, Tensor host) {
        mem("copy", "src", src);
        try (TensorScope scope = TensorScope.open()) {
            Tensor dev = src;
            if (!src.isContiguous()) {
                dev = new Tensor(new ClStorage(ctx, src.dtype(), src.numel()), src.shape(), Shape.contiguousStrides(src.shape()), 0);
                elementwise.copy(src, dev);
            }
            boolean direct = host.isContiguous() && host.dtype() == src.dtype();
            Tensor into = direct ? host : Ops.empty(src.dtype(), src.shape(), Backends.cpu());
            ctx.read(((ClStorage) dev.storage()).mem(), dev.offset(), array(into.storage()), into.offset(), into.numel());
            if (!direct) {
                hostBackend(into, host).copy(into, host);
            }
        }
    }

    private void write(Tensor hostContiguous, Tensor dstContiguous) {
        ctx.write(((ClStorage) dstContiguous.storage()).mem(), dstContiguous.offset(), array(hostContiguous.storage()),
                hostContiguous.offset(), hostContiguous.numel());
    }

    /** host itself when it is already a contiguous run of {@code dtype}, else such a copy made on the host. */
    private static Tensor hostContiguous(Tensor host, DType dtype) {
        if (host.isContiguous() && host.dtype() == dtype) {
            return host;
        }
        Tensor c = Ops.empty(dtype, host.shape(), Backends.cpu());
        hostBackend(host, c).copy(host, c);
        return c;
    }

    /** The CPU backend for a host copy; F64 copies go to the reference (the SIMD backend has no F64). */
    private static Backend hostBackend(Tensor a, Tensor b) {
        return a.dtype() == DType.F64 || b.dtype() == DType.F64 ? Backends.reference() : Backends.cpu();
    }

    private static Object array(Storage s) {
        if (s instanceof FloatStorage) {
            return ((FloatStorage) s).array();
        }
        if (s instanceof IntStorage) {
            return ((IntStorage) s).array();
        }
        throw new IllegalArgumentException("host storage " + s.getClass().getSimpleName() + " (" + s.dtype() + ") cannot cross to a device");
    }
}
