package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.sparsetuning.tensor.device.DeviceUnavailableException;
import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;

/**
 * Lists the OpenCL devices of every platform, in platform order then device order: {@code opencl:N} is the
 * N-th of that list ({@code clinfo -l} shows the same order). Each way OpenCL can be missing becomes a
 * {@link DeviceUnavailableException} with its reason: no loader (JOCL's native part or libOpenCL.so.1 cannot
 * be loaded), no platform (a loader without any ICD: install PoCL or a GPU driver), no device.
 */
final class ClDiscovery {
    private ClDiscovery() {
    }

    /** One device and the platform it belongs to. */
    record Found(cl_platform_id platform, cl_device_id device, String platformName, String deviceName) {
    }

    static List<Found> devices() {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            CL.clGetPlatformIDs(0, null, count);
            if (count[0] == 0) {
                throw noPlatform("the OpenCL loader reports no platform");
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<Found> out = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                String pname = ClInfo.platformString(p, CL_PLATFORM_NAME);
                for (cl_device_id d : devicesOf(p)) {
                    out.add(new Found(p, d, pname, ClInfo.deviceString(d, CL_DEVICE_NAME)));
                }
            }
            if (out.isEmpty()) {
                throw new DeviceUnavailableException(Reason.NO_DEVICE, "OpenCL: " + platforms.length + " platform(s) but no device");
            }
            return out;
        } catch (LinkageError | CLException e) {
            throw classify(e);
        }
    }

    private static List<cl_device_id> devicesOf(cl_platform_id p) {
        int[] n = new int[1];
        try {
            CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        cl_device_id[] ids = new cl_device_id[n[0]];
        CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        return List.of(ids);
    }

    /** What a failure while listing devices means for the user. */
    static DeviceUnavailableException classify(Throwable e) {
        if (e instanceof DeviceUnavailableException) {
            return (DeviceUnavailableException) e;
        }
        if (e instanceof LinkageError) {
            return new DeviceUnavailableException(Reason.NO_LOADER, "OpenCL cannot be loaded on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": JOCL's native library or the OpenCL loader (libOpenCL.so.1, Debian package "
                    + "ocl-icd-libopencl1) is missing: " + e, e);
        }
        if (e instanceof CLException && ((CLException) e).getStatus() == CL_PLATFORM_NOT_FOUND_KHR) {
            return noPlatform("the OpenCL loader found no platform (CL_PLATFORM_NOT_FOUND_KHR)");
        }
        return new DeviceUnavailableException(Reason.INIT_FAILED, "OpenCL device discovery failed: " + e, e);
    }

    private static DeviceUnavailableException noPlatform(String what) {
        return new DeviceUnavailableException(Reason.NO_PLATFORM, what + ": no ICD is installed (for a CPU device, install "
                + "pocl-opencl-icd; for a GPU, its driver); see /etc/OpenCL/vendors and clinfo -l");
    }
}
