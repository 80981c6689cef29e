package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgramCacheTest {
    private static ClContext ctx;

    @BeforeEach
    void device() {
        ClTestDevice.require();
        ctx = ClTestDevice.context();
    }

    @Test
    void aFailedBuildRaisesTheCompilerLog() {
        String source = "__kernel void broken(__global float* x) { x[0] = not_declared_anywhere; }";
        ClBuildException e = assertThrows(ClBuildException.class, () -> ctx.programs.build("broken.cl", source, "broken", "-DX=1"));
        assertTrue(e.buildLog().contains("not_declared_anywhere"), "build log: " + e.buildLog());
        assertTrue(e.getMessage().contains("broken.cl") && e.getMessage().contains("-DX=1"), e.getMessage());
    }

    @Test
    void aMissingKernelNameOrFileIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ctx.programs.build("k.cl", "__kernel void k(__global int* x) { x[0] = 1; }", "other", ""));
        assertTrue(e.getMessage().contains("other"), e.getMessage());
        IllegalStateException f = assertThrows(IllegalStateException.class, () -> ctx.programs.kernel("no_such_kernel", ""));
        assertTrue(f.getMessage().contains("no_such_kernel.cl"), f.getMessage());
    }

    @Test
    void programsAreBuiltOncePerOptions() {
        ClKernel a = ctx.programs.kernel("fill", "-DT=float");
        assertSame(a, ctx.programs.kernel("fill", "-DT=float"));
        assertNotSame(a, ctx.programs.kernel("fill", "-DT=int"));
        assertTrue(a.label.contains("fill.cl") && a.label.contains("-DT=float") && a.label.contains("-cl-std=CL1.2"), a.label);
    }
}
