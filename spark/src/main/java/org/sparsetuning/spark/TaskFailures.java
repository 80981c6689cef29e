package org.sparsetuning.spark;

import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Remembers why the first task of a job failed, in the task's own words: when Spark gives up on a barrier stage its
 * error names only the stage ("failed the maximum allowable number of times"), not what went wrong in it.
 */
final class TaskFailures extends SparkListener {
    private volatile String first;

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (first == null && end.reason() instanceof ExceptionFailure f) {
            first = f.description();
        }
    }

    /** The first failed task's message, or null. */
    String first() {
        return first;
    }
}
