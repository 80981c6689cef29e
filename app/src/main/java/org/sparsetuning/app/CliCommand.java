package org.sparsetuning.app;

import java.util.concurrent.Callable;

/**
 * A subcommand of {@code ./sparse-tune}: a picocli {@code @Command} class, found at run time through
 * {@link java.util.ServiceLoader} (META-INF/services/org.sparsetuning.app.CliCommand), so modules that
 * depend on this one (bench, and the OpenCL backend) can add commands. Returns the exit code.
 */
public interface CliCommand extends Callable<Integer> {
}
