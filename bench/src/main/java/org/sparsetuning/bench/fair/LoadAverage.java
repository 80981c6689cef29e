package org.sparsetuning.bench.fair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's one-minute load average, printed beside each table: on a shared machine it says how much
 * other work competed with the measurement (ratios from the same run stay comparable; absolute times do not).
 */
public final class LoadAverage {
    private LoadAverage() {
    }

    /** The one-minute load average as /proc/loadavg gives it, or "unknown". */
    public static String oneMinute() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
