package org.sparsetuning.nn.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Feeds mutated files to a reader and collects every way it misbehaves: an exception of a type other than the
 * reader's own, an exception without a message naming the file, an {@link Error} (OutOfMemoryError above all),
 * or more bytes allocated than the file's size could justify. Allocation is measured per thread
 * ({@code com.sun.management.ThreadMXBean}), so the reader must do its work on the calling thread.
 */
public final class FuzzHarness {
    /** Reads one file, throwing whatever the reader throws. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Path dir;
    private final String fileName;
    private final Class<? extends Exception> allowed;
    private final LongUnaryOperator allocationBound;
    private final List<String> problems = new ArrayList<>();
    private int runs;
    private int rejected;

    /**
     * @param fileName        name of the file written in {@code dir} for each mutation (its extension can matter)
     * @param allowed         the only exception type the reader may throw (exactly that class)
     * @param allocationBound the most bytes a read may allocate, given the file's size
     */
    public FuzzHarness(Path dir, String fileName, Class<? extends Exception> allowed, LongUnaryOperator allocationBound) {
        this.dir = dir;
        this.fileName = fileName;
        this.allowed = allowed;
        this.allocationBound = allocationBound;
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Reads the valid file once (it must pass: a seed the reader refuses proves nothing), then {@code count} mutants. */
    public FuzzHarness run(byte[] valid, int count, long seed, Reader reader) throws IOException {
        Path file = dir.resolve(fileName);
        Files.write(file, valid);
        try {
            reader.read(file); // also loads and initialises the reader's classes outside the measurement
        } catch (Exception e) {
            throw new AssertionError("the unmutated seed file must be readable: " + e, e);
        }
        Mutator m = new Mutator(seed);
        for (int i = 0; i < count; i++) {
            byte[] bytes = m.mutate(valid);
            Files.write(file, bytes);
            one(file, bytes, "seed " + seed + " mutant " + i, reader);
        }
        return this;
    }

    private void one(Path file, byte[] bytes, String label, Reader reader) {
        runs++;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            reader.read(file);
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long bound = allocationBound.applyAsLong(bytes.length);
        if (allocated > bound) {
            problems.add(label + " (" + bytes.length + " bytes): allocated " + allocated + " bytes, bound " + bound
                    + (thrown == null ? "" : ", then threw " + thrown));
        }
        if (thrown == null) {
            return;
        }
        rejected++;
        String msg = thrown.getMessage();
        if (thrown.getClass() != allowed) {
            problems.add(label + " (" + bytes.length + " bytes): " + thrown.getClass().getName() + ": " + msg
                    + " at " + where(thrown));
        } else if (msg == null || msg.isBlank() || !msg.contains(file.toString())) {
            problems.add(label + ": the message does not name the file: " + msg);
        }
    }

    private static String where(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? "?" : st[0].toString();
    }

    /** Every problem found so far, one a line (the first 20), or the empty string. */
    public String problems() {
        StringBuilder sb = new StringBuilder();
        problems.stream().limit(20).forEach(p -> sb.append(p).append('\n'));
        if (problems.size() > 20) {
            sb.append("... and ").append(problems.size() - 20).append(" more\n");
        }
        return sb.toString();
    }

    public int runs() {
        return runs;
    }

    /** How many mutants were refused: a fuzz run where (nearly) all pass proves little about the checks. */
    public int rejected() {
        return rejected;
    }
}
