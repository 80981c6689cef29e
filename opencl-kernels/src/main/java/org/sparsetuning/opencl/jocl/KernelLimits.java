package org.sparsetuning.opencl.jocl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits every launch is held to, whatever the device reports: at most 1024 work-items and 48 KiB of local
 * memory per work-group, NVIDIA's. PoCL allows 4096 items and megabytes of local memory, so a kernel that only
 * ran on PoCL could pass here and fail on a GPU; checking every launch against NVIDIA's figures (and the
 * kernel's own CL_KERNEL_WORK_GROUP_SIZE) makes CI catch it. Each kernel's largest use is recorded for tests.
 */
public final class KernelLimits {
    public static final int MAX_WORK_GROUP_ITEMS = 1024;
    public static final long MAX_LOCAL_MEM_BYTES = 48 * 1024;

    /** Largest work-group (items) and local memory (bytes) each kernel was launched with, by kernel label. */
    private static final Map<String, long[]> USED = new ConcurrentHashMap<>();

    private KernelLimits() {
    }

    /** Throws if a launch of {@code k} with that many items per group breaks a limit; records the use. */
    static void check(ClKernel k, long groupItems) {
        long allowed = Math.min(MAX_WORK_GROUP_ITEMS, k.maxWorkGroupSize);
        if (groupItems > allowed) {
            throw new IllegalStateException(k.label + ": work-group of " + groupItems + " items exceeds " + allowed
                    + " (CL_KERNEL_WORK_GROUP_SIZE " + k.maxWorkGroupSize + ", NVIDIA's limit " + MAX_WORK_GROUP_ITEMS + ")");
        }
        if (k.localMemBytes > MAX_LOCAL_MEM_BYTES) {
            throw new IllegalStateException(k.label + ": " + k.localMemBytes + " bytes of local memory exceed NVIDIA's "
                    + MAX_LOCAL_MEM_BYTES);
        }
        USED.merge(k.label, new long[] {groupItems, k.localMemBytes},
                (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
    }

    /** Kernel label → {largest work-group used, local memory bytes}; a copy. */
    public static Map<String, long[]> used() {
        return Map.copyOf(USED);
    }
}
