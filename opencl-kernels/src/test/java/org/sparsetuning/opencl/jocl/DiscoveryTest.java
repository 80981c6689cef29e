package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.device.DeviceUnavailableException;
import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;
import org.sparsetuning.tensor.device.Devices;

/** The reasons a device cannot be opened reach the user; nothing falls back to the CPU. */
class DiscoveryTest {

    @Test
    void failuresAreClassified() {
        assertEquals(Reason.NO_LOADER, ClDiscovery.classify(new UnsatisfiedLinkError("libOpenCL.so.1")).reason());
        assertEquals(Reason.NO_LOADER, ClDiscovery.classify(new NoClassDefFoundError("org/jocl/CL")).reason());
        DeviceUnavailableException np = ClDiscovery.classify(new CLException("none", CL.CL_PLATFORM_NOT_FOUND_KHR));
        assertEquals(Reason.NO_PLATFORM, np.reason());
        assertTrue(np.getMessage().contains("pocl-opencl-icd"), np.getMessage());
        assertEquals(Reason.INIT_FAILED, ClDiscovery.classify(new CLException("odd", CL.CL_OUT_OF_HOST_MEMORY)).reason());
    }

    @Test
    void anIndexPastTheLastDeviceListsTheDevices() {
        ClTestDevice.require();
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Devices.select("opencl:99"));
        assertEquals(Reason.INDEX_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("opencl:0"), e.getMessage());
    }

    /** Entry point of the child JVM below: prints the reason opencl:0 is unavailable, or OPENED. */
    public static void main(String[] args) {
        try {
            System.out.println("OPENED " + Devices.select("opencl:0"));
        } catch (DeviceUnavailableException e) {
            System.out.println("REASON " + e.reason() + " " + e.getMessage());
        }
    }

    @Test
    void aLoaderWithoutPlatformsIsReportedAsNoPlatform(@TempDir Path emptyVendors) throws Exception {
        ClTestDevice.require(); // needs a working loader to begin with
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), DiscoveryTest.class.getName()));
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString() + File.separator); // ocl-icd: no ICD files
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile(emptyVendors.getParent(), "probe", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(out.contains("REASON NO_PLATFORM"), "child JVM output:\n" + out);
    }
}
