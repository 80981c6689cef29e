package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds kernel files once per device and set of build options. Kernels are classpath resources under
 * {@code org/sparsetuning/opencl/kernels/}, one kernel per file named like the file, written in OpenCL C 1.2;
 * sizes (tiles, work-group) come in as {@code -D} options, so each variant is its own cached program.
 * {@code common.h} from the same folder is prepended to every file. No fast-math flags: results are compared
 * with the reference backend.
 */
final class ProgramCache {
    static final String RESOURCE_DIR = "/org/sparsetuning/opencl/kernels/";
    private static final Logger LOG = Logger.getLogger(ProgramCache.class.getName());

    private final cl_context context;
    private final cl_device_id device;
    private final String deviceName;
    private final Map<String, ClKernel> kernels = new ConcurrentHashMap<>();

    ProgramCache(cl_context context, cl_device_id device, String deviceName) {
        this.context = context;
        this.device = device;
        this.deviceName = deviceName;
    }

    /** The kernel of file {@code <name>.cl}, built with {@code options} (e.g. "-DT=float"). */
    ClKernel kernel(String name, String options) {
        String key = name + " " + options;
        ClKernel k = kernels.get(key);
        if (k == null) {
            synchronized (this) {
                k = kernels.get(key);
                if (k == null) {
                    k = build(name + ".cl", resource("common.h") + "\n" + resource(name + ".cl"), name, options);
                    kernels.put(key, k);
                }
            }
        }
        return k;
    }

    /**
     * The kernel built with the largest work-group size {@code WG} from {@code candidates} (descending powers of
     * two) that the device allows for it; WG is passed as -DWG=.
     */
    ClKernel fitted(String name, String options, int... candidates) {
        ClKernel last = null;
        for (int wg : candidates) {
            last = kernel(name, (options + " -DWG=" + wg).trim());
            last.requiredGroup = wg;
            if (last.maxWorkGroupSize >= wg && wg <= KernelLimits.MAX_WORK_GROUP_ITEMS) {
                return last;
            }
        }
        throw new IllegalStateException(name + ": no work-group size in " + java.util.Arrays.toString(candidates) + " fits "
                + deviceName + " (its CL_KERNEL_WORK_GROUP_SIZE is " + (last == null ? "unknown" : last.maxWorkGroupSize) + ")");
    }

    /** Builds {@code source} and creates its kernel {@code kernelName}; a failed build raises the compiler log. */
    ClKernel build(String program, String source, String kernelName, String options) {
        long t0 = System.nanoTime();
        String opts = ("-cl-std=CL1.2 " + options).trim();
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {device}, opts, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new ClBuildException(program, opts, deviceName, log, e);
        }
        cl_kernel k;
        try {
            k = CL.clCreateKernel(p, kernelName, null);
        } catch (CLException e) {
            throw new IllegalStateException(program + " has no kernel named " + kernelName + " (" + e.getMessage() + ")", e);
        }
        LOG.fine(() -> String.format("built %s [%s] for %s in %.0f ms", program, opts, deviceName, (System.nanoTime() - t0) / 1e6));
        return new ClKernel(k, device, program + " [" + opts + "]");
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return ClInfo.cString(b);
        } catch (CLException e) {
            return "(the build log could not be read: " + e.getMessage() + ")";
        }
    }

    static String resource(String file) {
        try (InputStream in = ProgramCache.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + RESOURCE_DIR + file + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + file, e);
        }
    }
}
