package org.sparsetuning.app;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A subcommand of {@code ./sparse-tune}: a picocli {@code @Command} class, found at run time through
 * {@link java.util.ServiceLoader} (META-INF/services/org.sparsetuning.app.CliCommand), so modules that
 * depend on this one (bench, and the OpenCL backend) can add commands. Returns the exit code.
 */
public interface CliCommand extends Callable<Integer> {
    /**
     * An output folder given as {@code flag}: it may not exist yet, but must not be a file (nor a link to nothing).
     * Checked before any work.
     */
    static void requireFolder(Path dir, String flag) {
        if (dir == null) {
            return;
        }
        // The nearest part of the path that exists must be a folder: DIR itself, or the one DIR would be made in.
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException(flag + " " + dir + ": " + (p.equals(dir.toAbsolutePath())
                            ? "exists and is not a folder" : p + " is not a folder"));
                }
                return;
            }
        }
    }
}
