package org.sparsetuning.tensor.flops;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the flops of the operations a thread actually executes while the counter is open, from the shapes
 * they run on (not from a formula of the model):
 * <pre>
 *   try (FlopCounter c = FlopCounter.open()) {
 *       model.forward(x);
 *       long flops = c.fvcoreTotal();
 *   }
 * </pre>
 * {@code Ops} reports matrix products and layer norms here, and layers built from elementwise ops whose reference
 * form fvcore charges (batch norm) report themselves. Conventions are fvcore's (see {@link FlopKind}):
 * one multiply-add is one flop, a fused bias or activation adds nothing.
 *
 * <p>Attribution: {@link #region(String)} names the part of the model that runs (nested regions join with
 * dots), and {@link #reportProductsAs(FlopKind)} re-labels the products of a piece of code whose reference
 * form is not a product. Both are free when no counter is open.
 *
 * <p>Cost when nothing counts: the hooks read one static volatile int and return. A counter belongs to the
 * thread that opened it (kernels may fan out to the worker pool, but operations are dispatched from the
 * caller's thread, which is where they are reported). Counters nest: an inner one's operations count in
 * every counter open on the thread. Close them in reverse order of opening.
 */
public final class FlopCounter implements AutoCloseable {
    /** Counters open on all threads; the hooks' fast path reads only this. */
    private static volatile int openCount;
    private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);

    /** Per thread: the innermost open counter, the current region and the products' label. */
    private static final class ThreadState {
        FlopCounter top;
        String region = "";
        FlopKind productKind = FlopKind.MATMUL;
        /** Inside {@link #uncounted()}: nothing is counted. */
        boolean suspended;
    }

    private final FlopCounter parent;
    private final Thread owner;
    private final EnumMap<FlopKind, Long> byKind = new EnumMap<>(FlopKind.class);
    private final Map<String, EnumMap<FlopKind, Long>> byRegion = new LinkedHashMap<>();
    private boolean closed;

    private FlopCounter(FlopCounter parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
        for (FlopKind k : FlopKind.values()) {
            byKind.put(k, 0L);
        }
    }

    /** Opens a counter on this thread; it counts until closed. */
    public static FlopCounter open() {
        ThreadState s = STATE.get();
        FlopCounter c = new FlopCounter(s.top);
        s.top = c;
        synchronized (FlopCounter.class) {
            openCount++;
        }
        return c;
    }

    /** Whether any counter is open on any thread (the hooks' cheap first test). */
    public static boolean active() {
        return openCount != 0;
    }

    /** Reports a matrix product of {@code macs} multiply-adds (batch·M·K·N). */
    public static void product(long macs) {
        if (openCount == 0) {
            return;
        }
        ThreadState s = STATE.get();
        if (s.top != null) {
            s.top.add(s, s.productKind, macs);
        }
    }

    /** Reports a layer norm over {@code numel} elements, with or without its affine weight. */
    public static void layerNorm(long numel, boolean affine) {
        if (openCount == 0) {
            return;
        }
        ThreadState s = STATE.get();
        if (s.top != null) {
            s.top.add(s, FlopKind.LAYER_NORM, numel * (affine ? 5 : 4));
        }
    }

    /** Reports a batch norm over {@code numel} elements (the layer does its arithmetic with elementwise ops). */
    public static void batchNorm(long numel, boolean affine, boolean training) {
        if (openCount == 0) {
            return;
        }
        ThreadState s = STATE.get();
        if (s.top != null) {
            long perElement = training ? (affine ? 5 : 4) : (affine ? 2 : 1);
            s.top.add(s, FlopKind.BATCH_NORM, numel * perElement);
        }
    }

    /**
     * Attributes what runs until the returned handle closes to region {@code name}, inside the current one
     * ({@code blocks.3} then {@code attn} gives {@code blocks.3.attn}).
     */
    public static Scope region(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("flop region name must be non-empty");
        }
        if (openCount == 0) {
            return Scope.NONE;
        }
        ThreadState s = STATE.get();
        if (s.top == null) {
            return Scope.NONE;
        }
        String before = s.region;
        s.region = before.isEmpty() ? name : before + "." + name;
        return new Scope(s, before, s.productKind);
    }

    /** Labels the matrix products run until the returned handle closes as {@code kind}. */
    public static Scope reportProductsAs(FlopKind kind) {
        if (openCount == 0) {
            return Scope.NONE;
        }
        ThreadState s = STATE.get();
        if (s.top == null) {
            return Scope.NONE;
        }
        FlopKind before = s.productKind;
        s.productKind = kind;
        return new Scope(s, s.region, before);
    }

    /**
     * Counts nothing on this thread until the returned handle closes: for a fused operation that reported its own
     * FLOPs, when a backend computes it from operations that would report them again.
     */
    public static Scope uncounted() {
        if (openCount == 0) {
            return Scope.NONE;
        }
        ThreadState s = STATE.get();
        if (s.top == null) {
            return Scope.NONE;
        }
        Scope restore = new Scope(s, s.region, s.productKind);
        s.suspended = true;
        return restore;
    }

    private void add(ThreadState s, FlopKind kind, long flops) {
        if (s.suspended) {
            return;
        }
        for (FlopCounter c = this; c != null; c = c.parent) {
            c.byKind.merge(kind, flops, Long::sum);
            c.byRegion.computeIfAbsent(s.region, r -> new EnumMap<>(FlopKind.class)).merge(kind, flops, Long::sum);
        }
    }

    /** Flops fvcore would report: the kinds it counts. */
    public long fvcoreTotal() {
        long t = 0;
        for (Map.Entry<FlopKind, Long> e : byKind.entrySet()) {
            if (e.getKey().countedByFvcore) {
                t += e.getValue();
            }
        }
        return t;
    }

    /** Flops of one kind (counted by fvcore or not). */
    public long count(FlopKind kind) {
        return byKind.get(kind);
    }

    /** Every kind, zeros included. */
    public Map<FlopKind, Long> byKind() {
        return Collections.unmodifiableMap(new EnumMap<>(byKind));
    }

    /** Region ("" for code outside any region) → flops by kind, in order of first report. */
    public Map<String, Map<FlopKind, Long>> byRegion() {
        Map<String, Map<FlopKind, Long>> out = new LinkedHashMap<>();
        byRegion.forEach((r, m) -> out.put(r, Collections.unmodifiableMap(new EnumMap<>(m))));
        return Collections.unmodifiableMap(out);
    }

    /** fvcore flops of a region and every region nested in it. */
    public long fvcoreTotal(String region) {
        long t = 0;
        for (Map.Entry<String, EnumMap<FlopKind, Long>> e : byRegion.entrySet()) {
            String r = e.getKey();
            if (r.equals(region) || r.startsWith(region + ".")) {
                for (Map.Entry<FlopKind, Long> k : e.getValue().entrySet()) {
                    if (k.getKey().countedByFvcore) {
                        t += k.getValue();
                    }
                }
            }
        }
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a FlopCounter must be closed by the thread that opened it (" + owner.getName() + ")");
        }
        ThreadState s = STATE.get();
        if (s.top != this) {
            throw new IllegalStateException("FlopCounters must be closed in reverse order of opening");
        }
        s.top = parent;
        if (parent == null) {
            s.region = "";
            s.productKind = FlopKind.MATMUL;
            s.suspended = false;
        }
        closed = true;
        synchronized (FlopCounter.class) {
            openCount--;
        }
    }

    /** Restores the region and product label that were current when it was opened. */
    public static final class Scope implements AutoCloseable {
        static final Scope NONE = new Scope(null, null, null);
        private final ThreadState state;
        private final String region;
        private final FlopKind productKind;

        private final boolean suspended;

        private Scope(ThreadState state, String region, FlopKind productKind) {
            this.state = state;
            this.region = region;
            this.productKind = productKind;
            this.suspended = state != null && state.suspended;
        }

        @Override
        public void close() {
            if (state != null) {
                state.region = region;
                state.productKind = productKind;
                state.suspended = suspended;
            }
        }
    }
}
