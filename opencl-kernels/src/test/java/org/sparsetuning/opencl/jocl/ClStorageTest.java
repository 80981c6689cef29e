package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.tensor.storage.Storage;
import org.sparsetuning.tensor.storage.TensorScope;

/** Device storages: zeroed reuse from the pool, accounting, release, the cleaner guard, crossings of any view. */
class ClStorageTest {
    private static Device dev;
    private static ClContext ctx;

    @BeforeEach
    void device() {
        dev = ClTestDevice.require();
        ctx = ClTestDevice.context();
    }

    @Test
    void pooledBuffersComeBackZeroedAndAreCounted() {
        int n = 12345; // a size class no other test uses
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            Tensor a = Tensor.zeros(dev, DType.F32, n);
            assertEquals(4L * n, m.liveBytes());
            a.fill(7);
            a.close();
            assertEquals(0, m.liveBytes());
            long reused = ctx.poolStats()[1];
            Tensor b = Tensor.zeros(dev, DType.I32, n);
            assertEquals(reused + 1, ctx.poolStats()[1], "the released buffer is reused");
            int[] v = b.toIntArray();
            for (int x : v) {
                assertEquals(0, x, "a reused buffer must read as zeros");
            }
            b.close();
        }
    }

    @Test
    void aReleasedStorageIsAnErrorNotStaleData() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).to(dev);
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::toFloatArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    @Test
    void scopesReleaseDeviceTemporaries() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).to(dev);
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            try (TensorScope scope = TensorScope.open()) {
                x.mul(2.0).exp().sum();
                assertTrue(m.liveBytes() > 0);
            }
            assertEquals(0, m.liveBytes());
        }
    }

    /**
     * A storage that is only garbage-collected gives its buffer back through its Cleaner. Checked without waiting for
     * a collection (whose timing no test controls): the action the Cleaner would run returns the buffer, exactly once,
     * and it holds nothing that would keep the storage reachable, which is what lets the Cleaner run at all.
     */
    @Test
    void theCleanerReturnsForgottenBuffers() {
        ctx.trimPool();
        int elements = 3 * 65536 + 77; // a size class of its own (bytes rounded to 256)
        long sizeClass = BufferPool.sizeClass(4L * elements);
        ClStorage forgotten = (ClStorage) Tensor.zeros(dev, DType.F32, elements).storage();
        assertEquals(0, ctx.pool.idleCount(sizeClass));
        forgotten.cleanable().clean(); // what the Cleaner does once the storage is unreachable
        assertEquals(1, ctx.pool.idleCount(sizeClass), "the cleaner's action gives the buffer back to the pool");
        forgotten.cleanable().clean();
        assertEquals(1, ctx.pool.idleCount(sizeClass), "and only once");
        assertTrue(Modifier.isStatic(ClStorage.GiveBack.class.getModifiers()), "an inner class would hold its storage");
        for (Field f : ClStorage.GiveBack.class.getDeclaredFields()) {
            assertFalse(Storage.class.isAssignableFrom(f.getType()) || Tensor.class.isAssignableFrom(f.getType())
                    || f.getType() == Object.class, "the cleaner's action must not reach the storage, but has field " + f);
        }
        ctx.trimPool();
    }

    @Test
    void singleElementsAndF64() {
        Tensor t = Tensor.zeros(dev, DType.F32, 3);
        t.set(2.5, 1);
        assertEquals(2.5, t.get(1));
        assertEquals(0.0, t.get(0));
        Tensor s = Tensor.of(new float[] {4}).to(dev);
        assertEquals(4.0, s.item());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Tensor.zeros(dev, DType.F64, 2));
        assertTrue(e.getMessage().contains("F64"), e.getMessage());
        // F64 host data converts on the way up.
        Tensor up = Tensor.zeros(dev, DType.F32, 2);
        up.copyFrom(Tensor.of(new double[] {1.5, -2}, 2));
        assertArrayEquals(new float[] {1.5f, -2f}, up.toFloatArray());
    }

    @Test
    void crossingsHandleViewsAndDtypesOnBothSides() {
        Tensor host = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        // Upload a transposed window into a strided device window.
        Tensor d = Tensor.zeros(dev, DType.F32, 5, 6);
        d.narrow(0, 1, 4).narrow(1, 2, 3).copyFrom(host.mT());
        float[] got = d.toFloatArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(host.get(j, i), got[(1 + i) * 6 + 2 + j], "element " + i + "," + j);
            }
        }
        assertEquals(0f, got[0]);
        // Download a strided device view into a strided host window of another dtype (F32 → I32).
        Tensor hi = Tensor.zeros(DType.I32, 4, 4);
        hi.narrow(1, 1, 3).copyFrom(d.narrow(0, 1, 4).narrow(1, 2, 3).mul(1.5));
        assertArrayEquals(new int[] {0, 0, 6, 12, 0, 1, 7, 13, 0, 3, 9, 15, 0, 4, 10, 16}, hi.toIntArray());
        // I32 up to a device F32 tensor.
        Tensor f = Tensor.zeros(dev, DType.F32, 3);
        f.copyFrom(Tensor.ofInts(new int[] {-3, 0, 9}, 3));
        assertArrayEquals(new float[] {-3, 0, 9}, f.toFloatArray());
    }

    @Test
    void largeTransfersCrossInChunks() {
        int n = 3 * (8 << 20) / 4 + 17; // more than two staging chunks
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f;
        }
        Tensor t = Tensor.of(v, n).to(dev);
        assertArrayEquals(v, t.toFloatArray());
        t.close();
    }

    @Test
    void tensorsFromElsewhereAreRefusedByName() {
        Tensor d = Tensor.of(new float[] {1, 2}, 2).to(dev);
        Tensor cpu = Tensor.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.backend().binary(org.sparsetuning.tensor.backend.BinaryOp.ADD, d, cpu, Tensor.zeros(dev, DType.F32, 2)));
        assertTrue(e.getMessage().contains("b is on cpu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.add(cpu));
    }
}
