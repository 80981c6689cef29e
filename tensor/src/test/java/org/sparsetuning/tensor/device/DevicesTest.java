package org.sparsetuning.tensor.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;

class DevicesTest {

    @Test
    void cpuIsTheHostAndTakesNoIndex() {
        Device cpu = Devices.select(" CPU ");
        assertTrue(cpu.isCpu());
        assertEquals("cpu", cpu.name());
        assertEquals(Devices.cpu(), Tensor.zeros(3).device());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.select("cpu:0"));
        assertTrue(e.getMessage().contains("takes no index"), e.getMessage());
    }

    @Test
    void malformedSpecsNameTheProblem() {
        for (String bad : new String[] {"", "  ", "loopback:", "loopback:-1", "loopback:x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.select(bad), bad);
            assertTrue(e.getMessage().contains("device spec"), e.getMessage());
        }
    }

    @Test
    void unknownKindAndMissingProviderAreReportedNotReplaced() {
        DeviceUnavailableException unknown = assertThrows(DeviceUnavailableException.class, () -> Devices.select("tpu:0"));
        assertEquals(Reason.NO_PROVIDER, unknown.reason());
        assertTrue(unknown.getMessage().contains("unknown kind 'tpu'") && unknown.getMessage().contains("loopback"), unknown.getMessage());
        // tensor's own tests have no OpenCL provider on the class path: the error names the missing jar.
        DeviceUnavailableException missing = assertThrows(DeviceUnavailableException.class, () -> Devices.select("opencl"));
        assertEquals(Reason.NO_PROVIDER, missing.reason());
        assertTrue(missing.getMessage().contains("opencl-kernels"), missing.getMessage());
    }

    @Test
    void providerDevicesOpenOnceByName() {
        Device d0 = Devices.select("loopback");
        assertEquals("loopback:0", d0.name());
        assertSame(d0, Devices.select("loopback:0"));
        Device d1 = Devices.select("LOOPBACK:1");
        assertEquals("loopback:1", d1.name());
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Devices.select("loopback:2"));
        assertEquals(Reason.INDEX_OUT_OF_RANGE, e.reason());
    }

    @Test
    void defaultDeviceComesFromThePropertyElseCpu() {
        String before = System.getProperty("sparsetuning.device");
        try {
            System.setProperty("sparsetuning.device", "loopback:1");
            assertEquals("loopback:1", Devices.defaultDevice().name());
            System.setProperty("sparsetuning.device", "tpu");
            assertThrows(DeviceUnavailableException.class, Devices::defaultDevice);
            System.clearProperty("sparsetuning.device");
            if (System.getenv("SPARSETUNING_DEVICE") == null) {
                assertTrue(Devices.defaultDevice().isCpu());
            }
        } finally {
            if (before == null) {
                System.clearProperty("sparsetuning.device");
            } else {
                System.setProperty("sparsetuning.device", before);
            }
        }
    }

    @Test
    void toMovesValuesDtypeAndLayoutBothWays() {
        Device dev = Devices.select("loopback:0");
        Tensor host = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertSame(host, host.to(Devices.cpu()));
        Tensor t = host.mT().to(dev); // a transposed view arrives contiguous
        assertEquals("loopback:0", t.storage().device());
        assertEquals(dev, t.device());
        assertSame(t, t.to(dev));
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertTrue(t.isContiguous());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
        Tensor back = t.to(Devices.cpu());
        assertTrue(back.isOnCpu());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloatArray());

        Tensor ints = Tensor.ofInts(new int[] {7, -8, 9}, 3).to(dev);
        assertEquals(DType.I32, ints.dtype());
        assertArrayEquals(new int[] {7, -8, 9}, ints.toIntArray());
        // Between two devices the data goes through the host.
        Tensor other = ints.to(Devices.select("loopback:1"));
        assertEquals("loopback:1", other.storage().device());
        assertArrayEquals(new int[] {7, -8, 9}, other.toIntArray());
    }

    @Test
    void computationStaysOnTheDeviceAndMixingIsAnError() {
        Device dev = Devices.select("loopback:0");
        LoopbackBackend be = (LoopbackBackend) dev.backend();
        Tensor a = Tensor.of(new float[] {1, -2, 3}, 3).to(dev);
        Tensor w = Tensor.of(new float[] {0.5f, 0.25f, 2}, 3).to(dev);
        long before = be.crossings();
        Tensor y = a.mul(w).add(1.0).relu().sum();
        assertEquals("loopback:0", y.storage().device());
        assertEquals(before, be.crossings(), "no host copies inside a computation on the device");
        assertEquals(1.5 + 0.5 + 7, y.item(), 1e-6);

        Tensor cpu = Tensor.of(new float[] {1, 1, 1}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(cpu));
        assertTrue(e.getMessage().contains("different devices"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.addInPlace(cpu));
    }

    @Test
    void copyFromCrossesInEitherDirection() {
        Device dev = Devices.select("loopback:0");
        Tensor d = Tensor.zeros(2, 2).to(dev);
        d.copyFrom(Tensor.of(new float[] {1, 2}, 2)); // broadcast row, uploaded
        assertArrayEquals(new float[] {1, 2, 1, 2}, d.toFloatArray());
        Tensor h = Tensor.zeros(2, 2);
        h.copyFrom(d.mT());
        assertArrayEquals(new float[] {1, 1, 2, 2}, h.toFloatArray());
        Tensor d1 = Tensor.zeros(2, 2).to(Devices.select("loopback:1"));
        d1.copyFrom(d);
        assertArrayEquals(new float[] {1, 2, 1, 2}, d1.toFloatArray());
    }
}
