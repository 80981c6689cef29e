package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.random.Generator;

/**
 * Every kernel file, in every build variant the backend uses, fits an NVIDIA GPU: at most 1024 work-items and
 * 48 KiB of local memory per group, whatever the device under test (PoCL allows far more). Also checks that the
 * launch-time guard refuses a group the kernel cannot run, and that the launches made here stayed in bounds.
 */
class KernelLimitsTest {
    private static ClContext ctx;

    @BeforeEach
    void device() {
        ClTestDevice.require();
        ctx = ClTestDevice.context();
    }

    private record Variant(String file, String options, int group) {
    }

    /** The variants ClBackend builds; group is the largest work-group it launches them with. */
    private static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (String t : List.of("float", "int")) {
            v.add(new Variant("fill", "-DT=" + t, Launcher.GROUP));
            v.add(new Variant("unary", "-DX_T=" + t, Launcher.GROUP));
            for (String u : List.of("float", "int")) {
                String conv = t.equals(u) ? "" : u.equals("int") ? "convert_int_sat_rtz" : "convert_float";
                v.add(new Variant("copy", "-DSRC_T=" + t + " -DDST_T=" + u + " -DCONV=" + conv, Launcher.GROUP));
                v.add(new Variant("binary", "-DA_T=" + t + " -DB_T=" + u, Launcher.GROUP));
                v.add(new Variant("where", "-DM_T=" + t + " -DA_T=" + u + " -DB_T=float", Launcher.GROUP));
            }
        }
        for (String f : List.of("reduce_cols", "argmax", "layernorm_backward_params", "gather", "scatter_add", "index_select",
                "index_add", "topk", "adamw")) {
            v.add(new Variant(f, "", Launcher.GROUP));
        }
        return v;
    }

    private static void assertFits(ClKernel k, long group) {
        assertTrue(group <= KernelLimits.MAX_WORK_GROUP_ITEMS, k.label + ": group of " + group + " > 1024");
        assertTrue(group <= k.maxWorkGroupSize, k.label + ": group of " + group + " > CL_KERNEL_WORK_GROUP_SIZE " + k.maxWorkGroupSize);
        assertTrue(k.localMemBytes <= KernelLimits.MAX_LOCAL_MEM_BYTES, k.label + ": " + k.localMemBytes + " bytes of local memory > 48 KiB");
    }

    @Test
    void everyKernelVariantFitsNvidiaLimits() throws Exception {
        Set<String> covered = new TreeSet<>();
        for (Variant v : variants()) {
            ClKernel k = ctx.programs.kernel(v.file, v.options);
            assertFits(k, k.groupSize(v.group));
            covered.add(v.file);
        }
        for (String f : List.of("reduce_rows", "softmax", "softmax_backward", "layernorm", "layernorm_backward_dx")) {
            // Every group size a device of either type may be given, including the GPUs' 256 on PoCL.
            for (int wg : new int[] {256, 128, 64, 32, 8}) {
                ClKernel k = ctx.programs.kernel(f, "-DWG=" + wg);
                assertFits(k, wg);
            }
            ClKernel chosen = ctx.programs.fitted(f, "", ctx.info.rowGroups());
            assertEquals(ctx.info.rowGroups()[0], chosen.requiredGroup, f + ": the preferred group size fits this device");
            covered.add(f);
        }
        for (Gemm.Tiles t : new Gemm.Tiles[] {Gemm.LARGE, Gemm.SMALL}) {
            ClKernel k = ctx.programs.kernel("gemm_tiled", t.options());
            assertFits(k, (long) t.itemsM() * t.itemsN());
            assertTrue(t.localBytes() <= KernelLimits.MAX_LOCAL_MEM_BYTES, t + " tiles need " + t.localBytes() + " bytes");
            covered.add("gemm_tiled");
        }
        assertEquals(kernelFiles(), covered, "every .cl file must be listed here, so its limits are checked");
    }

    /** The .cl files on the class path (the kernels folder of target/classes). */
    private static Set<String> kernelFiles() throws IOException, URISyntaxException {
        URL url = KernelLimitsTest.class.getResource(ProgramCache.RESOURCE_DIR + "common.h");
        Path dir = Path.of(url.toURI()).getParent();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cl"))
                    .map(n -> n.substring(0, n.length() - 3)).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void launchGuardRefusesOversizedGroupsAndRecordsUse() {
        ClKernel fill = ctx.programs.kernel("fill", "-DT=float");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelLimits.check(fill, 2048));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());

        Device dev = ClTestDevice.require();
        Tensor x = Tensor.randn(new Generator(3), 70, 130).to(dev);
        x.softmax().matmul(x.mT()).gelu().sum(0, false).toFloatArray();
        Map<String, long[]> used = KernelLimits.used();
        assertFalse(used.isEmpty());
        used.forEach((label, u) -> {
            assertTrue(u[0] <= KernelLimits.MAX_WORK_GROUP_ITEMS, label + " launched with " + u[0] + " items");
            assertTrue(u[1] <= KernelLimits.MAX_LOCAL_MEM_BYTES, label + " uses " + u[1] + " bytes of local memory");
        });
        assertTrue(used.keySet().stream().anyMatch(l -> l.startsWith("gemm_tiled.cl")), "the product ran on gemm_tiled: " + used.keySet());
    }
}
