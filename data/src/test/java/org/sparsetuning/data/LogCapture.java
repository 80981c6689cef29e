package org.sparsetuning.data;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one class's logger publishes while the capture is open (from any thread: loader workers log
 * from their own), for tests that check what a warning says and how often.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger log;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            messages.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing the logger named after {@code source}. */
    public LogCapture(Class<?> source) {
        log = Logger.getLogger(source.getName());
        log.addHandler(handler);
    }

    /** What was published so far, in order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        log.removeHandler(handler);
    }
}
