package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;

/** What the kernels and the buffer pool need to know about a device, read once when it is opened. */
public final class ClDeviceInfo {
    public final String name;
    public final String platform;
    public final String version;
    public final String openclC;
    public final String driver;
    public final int computeUnits;
    public final long maxWorkGroupSize;
    public final long localMemBytes;
    public final long globalMemBytes;
    public final long maxAllocBytes;
    /** A CPU device (PoCL): work-items are loop iterations there, not threads. */
    public final boolean isCpu;

    ClDeviceInfo(ClDiscovery.Found f) {
        this.name = f.deviceName();
        this.platform = f.platformName();
        this.version = ClInfo.deviceString(f.device(), CL_DEVICE_VERSION);
        this.openclC = ClInfo.deviceString(f.device(), CL_DEVICE_OPENCL_C_VERSION);
        this.driver = ClInfo.deviceString(f.device(), CL_DRIVER_VERSION);
        this.computeUnits = (int) ClInfo.deviceUint(f.device(), CL_DEVICE_MAX_COMPUTE_UNITS);
        this.maxWorkGroupSize = ClInfo.deviceLong(f.device(), CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.localMemBytes = ClInfo.deviceLong(f.device(), CL_DEVICE_LOCAL_MEM_SIZE);
        this.globalMemBytes = ClInfo.deviceLong(f.device(), CL_DEVICE_GLOBAL_MEM_SIZE);
        this.maxAllocBytes = ClInfo.deviceLong(f.device(), CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.isCpu = (ClInfo.deviceLong(f.device(), CL_DEVICE_TYPE) & CL_DEVICE_TYPE_CPU) != 0;
    }

    /**
     * Work-group sizes to try, largest first, for the kernels that give each row one group (softmax, layer
     * norm, row reductions). On a GPU, 256 items per row hide memory latency. On a CPU device every barrier
     * of the group's tree reduction splits the work-item loop, so small groups win: on PoCL a softmax of
     * [2364, 197] took 4.3 ms with 8 items against 17.8 ms with 256. The system property
     * {@code sparsetuning.opencl.rowGroups} (comma-separated) overrides the choice, so tests run the GPU sizes
     * on PoCL too.
     */
    public int[] rowGroups() {
        String p = System.getProperty("sparsetuning.opencl.rowGroups");
        if (p != null && !p.isBlank()) {
            return java.util.Arrays.stream(p.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
        }
        return isCpu ? new int[] {8} : new int[] {256, 128, 64, 32};
    }

    /** True for Portable Computing Language, the CPU implementation CI runs the kernels on. */
    public boolean isPocl() {
        return platform.contains("Portable Computing Language");
    }

    @Override
    public String toString() {
        return name + " (" + platform + ", " + version + ", " + openclC + ", " + computeUnits + " compute units, "
                + (globalMemBytes >> 20) + " MiB)";
    }
}
