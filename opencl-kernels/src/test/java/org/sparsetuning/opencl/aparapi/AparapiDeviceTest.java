package org.sparsetuning.opencl.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.device.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Explicit device choice, its error messages, and the work-group limits handed to kernels. */
class AparapiDeviceTest {
    @Test
    void noDeviceSkipsOnAWorkstationAndFailsWhenRequired() {
        assertThrows(TestAbortedException.class, () -> AparapiTestSupport.gate("no loader", false));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> AparapiTestSupport.gate("no loader", true));
        assertTrue(e.getMessage().contains("no loader"), e.getMessage());
    }

    @Test
    void defaultChoiceIsTheExpectedPlatform() {
        AparapiDevice d = AparapiTestSupport.device();
        assertTrue(d.platformName().contains(AparapiTestSupport.EXPECTED_PLATFORM),
                "platform " + d.platformName() + ", expected " + AparapiTestSupport.EXPECTED_PLATFORM);
        assertTrue(d.describe().contains(d.name()), d.describe());
        int local = d.maxLocalSize();
        assertTrue(local >= 1 && local <= 256 && Integer.bitCount(local) == 1, "local size " + local);
    }

    @Test
    void choiceByIndexAndTypeAndItsErrors() {
        AparapiTestSupport.device();
        List<com.aparapi.device.OpenCLDevice> all = AparapiDevice.listDevices();
        assertEquals(all.get(0), AparapiDevice.open("0").openCL());
        AparapiUnavailableException range = assertThrows(AparapiUnavailableException.class, () -> AparapiDevice.open("99"));
        assertTrue(range.getMessage().contains("there are " + all.size() + " OpenCL devices"), range.getMessage());
        AparapiUnavailableException word = assertThrows(AparapiUnavailableException.class, () -> AparapiDevice.open("banana"));
        assertTrue(word.getMessage().contains("must be a device index"), word.getMessage());
        boolean hasGpu = all.stream().anyMatch(x -> x.getType() == Device.TYPE.GPU);
        if (hasGpu) {
            assertEquals(Device.TYPE.GPU, AparapiDevice.open("gpu").openCL().getType());
        } else {
            AparapiUnavailableException gpu = assertThrows(AparapiUnavailableException.class, () -> AparapiDevice.open("gpu"));
            assertTrue(gpu.getMessage().contains("GPU"), gpu.getMessage());
        }
    }

    @Test
    void rangesRespectAparapisGroupLimitAndPadTheGlobalSize() {
        try (CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device())) {
            int local = ex.device().maxLocalSize();
            assertEquals(local, ex.linear(1).getGlobalSize_0());
            assertEquals(2 * local, ex.linear(local + 1).getGlobalSize_0());
            assertEquals(48, ex.grid(33, 17, 16, 16).getGlobalSize_0());
            assertEquals(32, ex.grid(33, 17, 16, 16).getGlobalSize_1());
            assertThrows(IllegalArgumentException.class, () -> ex.groups(4, 300));
            assertThrows(IllegalArgumentException.class, () -> ex.groups(4, 96));
            assertThrows(IllegalArgumentException.class, () -> ex.grid(4, 4, 32, 16));
            assertThrows(IllegalArgumentException.class, () -> ex.linear(0));
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void legacyExecutionModeIsRefusedBecauseItIgnoresTheDeviceBinding() {
        try (CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device())) {
            ScaleKernel k = new ScaleKernel();
            k.setExecutionMode(com.aparapi.Kernel.EXECUTION_MODE.JTP);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.adopt(k));
            assertTrue(e.getMessage().contains("com.aparapi.executionMode"), e.getMessage());
        }
    }

    @Test
    void closedExecutorRefusesWorkAndForeignKernels() {
        CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device());
        ScaleKernel foreign = new ScaleKernel();
        assertThrows(IllegalArgumentException.class, () -> ex.execute(foreign, ex.linear(1)));
        ex.close();
        assertThrows(IllegalStateException.class, () -> ex.adopt(new ScaleKernel()));
        ex.close(); // idempotent
    }
}
