package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
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
