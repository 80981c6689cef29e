package org.sparsetuning.autograd;

/** Whether operations record a graph on this thread. {@code try (var g = GradMode.disabled()) {...}}. */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned guard is closed. */
    public static Guard disabled() {
        return set(false);
    }

    public static Guard enabled() {
        return set(true);
    }

    private static Guard set(boolean on) {
        boolean before = ENABLED.get();
        ENABLED.set(on);
        return new Guard(before);
    }

    /** Restores the previous mode on close. */
    public static final class Guard implements AutoCloseable {
        private final boolean previous;

        private Guard(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            ENABLED.set(previous);
        }
    }
}
