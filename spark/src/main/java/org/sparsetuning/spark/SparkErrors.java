package org.sparsetuning.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one line a user sees for a failed Spark job: the executor's own message, without Spark's stack trace. */
final class SparkErrors {
    private static final Pattern LOST_TASK = Pattern.compile("most recent failure: Lost task [^)]*\\)[^:]*: ([^\\n]*)");
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[a-z0-9_]+\\.)+[A-Za-z0-9_$]+(?:Exception|Error|BadImage): ");

    private SparkErrors() {
    }

    /** @param failures the job's task failures (a barrier stage's error does not say what failed), or null */
    static String describe(Throwable e, TaskFailures failures) {
        String msg = String.valueOf(e.getMessage());
        if (failures != null && failures.first() != null && msg.contains("barrier")) {
            return failures.first() + " (Spark stopped the barrier stage: " + firstLine(msg) + ")";
        }
        return describe(e);
    }

    private static String firstLine(String msg) {
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Predictions.BadImage) {
                return t.getMessage();
            }
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("SPARK-24819")) {
            return "the cluster has fewer task slots than --workers; start more executors (cores) or ask for fewer workers";
        }
        Matcher m = LOST_TASK.matcher(msg);
        if (m.find()) {
            String line = m.group(1).trim();
            Matcher p = EXCEPTION_PREFIX.matcher(line);
            return p.find() ? line.substring(p.end()) : line;
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
