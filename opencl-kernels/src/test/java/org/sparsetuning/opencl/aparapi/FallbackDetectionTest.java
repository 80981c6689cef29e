package org.sparsetuning.opencl.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Aparapi's silent fallback to the Java thread pool must surface as an error naming the kernel and the
 * reason, and the kernels we ship must translate to float-only OpenCL that really uses local memory.
 */
class FallbackDetectionTest {
    @Test
    void untranslatableKernelIsRefusedBeforeItRuns() {
        try (CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device())) {
            AparapiFallbackException e = assertThrows(AparapiFallbackException.class, () -> ex.adopt(new LambdaKernel()));
            assertTrue(e.getMessage().contains("LambdaKernel"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("invokeinterface"), e.getMessage());
            assertEquals(LambdaKernel.class.getName(), e.kernelName());
            // A second instance is refused from the cache, as Aparapi would fail it silently now.
            assertThrows(AparapiFallbackException.class, () -> ex.adopt(new LambdaKernel()));
        }
    }

    @Test
    void fallbackDuringExecutionIsAnErrorNotAResult() {
        try (CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device())) {
            LambdaKernelUnchecked k = ex.bind(new LambdaKernelUnchecked());
            AparapiFallbackException e = assertThrows(AparapiFallbackException.class, () -> ex.execute(k, ex.linear(8)));
            assertTrue(e.getMessage().contains("LambdaKernelUnchecked"), e.getMessage());
            assertTrue(e.getMessage().contains("thread pool"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("invokeinterface"),
                    "the error carries Aparapi's logged reason: " + e.getMessage());

            // Aparapi now routes the class to Java for good; the next execution is refused before it runs.
            LambdaKernelUnchecked again = ex.bind(new LambdaKernelUnchecked());
            Arrays.fill(again.out, Float.NaN);
            assertThrows(AparapiFallbackException.class, () -> ex.execute(again, ex.linear(8)));
            for (float v : again.out) {
                assertTrue(Float.isNaN(v), "the Java fallback must not have run: " + Arrays.toString(again.out));
            }
        }
    }

    @Test
    void shippedKernelsTranslateToFloatOnlyOpenCl() {
        AparapiTestSupport.device();
        List<Kernel> kernels = List.of(new GemmTile16Kernel(), new GemmTile16TransBKernel(), new GemmTile64Kernel(), new BroadcastBinaryKernel(),
                new ScaleKernel(), new GeluKernel(), new SoftmaxKernel(), new SoftmaxBackwardKernel());
        for (Kernel k : kernels) {
            String cl = KernelTranslation.openCL(k);
            String name = k.getClass().getSimpleName();
            // A double anywhere would need fp64 (absent or slow on many GPUs) and differ from the CPU path.
            assertFalse(cl.contains("double"), name + " uses double:\n" + cl);
            boolean tiled = name.startsWith("Gemm") || name.startsWith("Softmax");
            assertEquals(tiled, cl.contains("__local"), name + " local memory:\n" + cl);
            assertEquals(tiled, cl.contains("barrier("), name + " barriers:\n" + cl);
        }
    }

    @Test
    void executedKernelsRanOnTheExpectedPlatformWithinGpuLimits() throws Exception {
        AparapiDevice device = AparapiTestSupport.device();
        try (AparapiOps ops = new AparapiOps(device)) {
            ops.matmul(org.sparsetuning.tensor.Tensor.ones(20, 18), org.sparsetuning.tensor.Tensor.ones(18, 17));
            ops.softmax(org.sparsetuning.tensor.Tensor.ones(3, 5));
            List<Kernel> ran = ops.executor().executedKernels();
            assertEquals(2, ran.size(), "kernels that executed");
            for (Kernel k : ran) {
                String name = k.getClass().getSimpleName();
                assertTrue(k.isRunningCL(), name);
                OpenCLDevice target = (OpenCLDevice) k.getTargetDevice();
                assertEquals(device.openCL(), target, name + " target");
                String platform = target.getOpenCLPlatform().getName();
                assertTrue(platform.contains(AparapiTestSupport.EXPECTED_PLATFORM), name + " ran on platform '" + platform
                        + "', expected '" + AparapiTestSupport.EXPECTED_PLATFORM + "' (set -Dopencl.platform to the one you test)");
                // NVIDIA's limits (48 KiB local memory, and our 256-item groups must fit the compiled kernel),
                // checked here too so a kernel that only fits PoCL's looser limits fails before reaching a GPU.
                // These queries call compile() internally; asked only after an execution, it is a no-op (the
                // compile()-then-dispose() sequence that crashed the JVM never happens).
                assertTrue(k.getKernelLocalMemSizeInUse(target) <= 48 * 1024, name + " local memory");
                int groupSize = name.startsWith("Gemm") ? 256 : SoftmaxKernel.GROUP;
                assertTrue(k.getKernelMaxWorkGroupSize(target) >= groupSize, name + " max work-group");
            }
        }
    }
}
