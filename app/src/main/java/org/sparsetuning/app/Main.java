package org.sparsetuning.app;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sparse-tune}: the application's command line. Subcommands come from {@link CliCommand} services. */
@Command(name = "sparse-tune", mixinStandardHelpOptions = true, version = "sparse-tune 0.1.0",
        description = "Sparse-Tuning for Vision Transformers on a pure-JVM engine.",
        subcommandsRepeatable = false)
public final class Main implements Callable<Integer> {
    @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 success, 1 failure, 2 bad usage). */
    public static int run(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        for (CliCommand c : ServiceLoader.load(CliCommand.class)) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean debug = parsed.hasMatchedOption("--debug") || main.debug;
            if (debug) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("sparse-tune " + cmd.getCommandName() + ": error: " + describe(ex));
            }
            return 1;
        });
        // A wrong flag or value: one line naming it, and where the help is; no usage dump, exit code 2.
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("sparse-tune " + cmd.getCommandName() + ": error: " + describe(ex) + " (see: sparse-tune "
                    + (cmd == cl ? "" : cmd.getCommandName() + " ") + "--help)");
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handlers. By the time it reaches here the stack that held the work is gone,
            // so there is room to say what happened in one line.
            return outOfMemory(e, java.util.Arrays.asList(args).contains("--debug") || main.debug, cl.getErr());
        }
    }

    /** One line for a run that ran out of heap (its trace only with --debug); exit code 1. */
    static int outOfMemory(OutOfMemoryError e, boolean debug, java.io.PrintWriter err) {
        if (debug) {
            e.printStackTrace(err);
        } else {
            long max = Runtime.getRuntime().maxMemory();
            err.println(String.format(java.util.Locale.ROOT, "sparse-tune: error: out of memory (%s) with a Java heap of at most "
                    + "%.1f GiB: give the JVM more (SPARSETUNE_JAVA_OPTS=-Xmx...) or use a smaller --batch-size",
                    e.getMessage() == null ? "OutOfMemoryError" : e.getMessage(), max / (double) (1L << 30)));
        }
        err.flush();
        return 1;
    }

    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (ex instanceof FileSystemException f && f.getReason() == null && f.getFile() != null && !f.getFile().contains(": ")) {
            // The JDK's carry the path alone ("out"), which reads as no explanation at all (ours put the
            // explanation after the path, "PATH: image file not found", and are left as they are).
            String what = f instanceof FileAlreadyExistsException ? "already exists"
                    : f instanceof NoSuchFileException ? "not found"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NotDirectoryException ? "not a folder"
                    : f instanceof DirectoryNotEmptyException ? "folder not empty"
                    : ex.getClass().getSimpleName();
            return (f.getOtherFile() != null ? f.getFile() + " -> " + f.getOtherFile() : f.getFile()) + ": " + what;
        }
        return msg == null || msg.isBlank() ? ex.getClass().getSimpleName() : msg;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }
}
