package org.sparsetuning.opencl.aparapi;

import com.aparapi.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what Aparapi logs while one of our kernels executes. Aparapi reports why a kernel left the
 * OpenCL device ("Device failed for X: @15 INVOKEINTERFACE We don't support invokeinterface instructions")
 * only as a log warning, then carries on in Java; catching the warning lets the error we raise name the
 * reason. Records are kept per thread, and only between {@link #start} and {@link #stop}, because
 * execution is synchronous on the calling thread.
 */
final class FallbackLog extends Handler {
    /** A warning printed for every nested class compiled for Java 11+; it says nothing about a failure. */
    private static final String NEST_ATTRIBUTE_NOISE = "Found unexpected Attribute";

    // Held strongly: java.util.logging keeps loggers only weakly, and a collected logger loses its handlers.
    private static final Logger APARAPI_LOG = Logger.getLogger(Config.getLoggerName());
    private static final FallbackLog INSTANCE = new FallbackLog();

    static {
        APARAPI_LOG.addHandler(INSTANCE);
    }

    private final ThreadLocal<List<String>> sink = new ThreadLocal<>();

    private FallbackLog() {
        setLevel(Level.WARNING);
    }

    static void start() {
        INSTANCE.sink.set(new ArrayList<>());
    }

    /** The warnings logged on this thread since {@link #start}, and stops collecting. */
    static List<String> stop() {
        List<String> out = INSTANCE.sink.get();
        INSTANCE.sink.remove();
        return out == null ? List.of() : out;
    }

    @Override
    public void publish(LogRecord record) {
        List<String> out = sink.get();
        if (out == null || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String msg = record.getMessage();
        if (msg != null && msg.startsWith(NEST_ATTRIBUTE_NOISE)) {
            return;
        }
        Throwable t = record.getThrown();
        out.add(t == null ? String.valueOf(msg) : msg + " (" + t + ")");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
