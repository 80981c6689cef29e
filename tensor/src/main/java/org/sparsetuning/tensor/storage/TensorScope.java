package org.sparsetuning.tensor.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frees temporaries deterministically, the way reference counting does in PyTorch. Every storage
 * allocated while a scope is open on this thread is owned by it; closing the scope releases them all,
 * except those handed to {@link #escape(Storage)} (moved to the enclosing scope, or left unowned at the top)
 * and those someone else retained (an autograd context that saved them, for instance).
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor h = x.matmul(w).add(b);      // temporaries live in the scope
 *     return scope.escape(h.gelu());      // only the result leaves it
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Map<Storage, Boolean> owned = new IdentityHashMap<>();
    private final List<Storage> order = new ArrayList<>();
    private boolean closed;

    private TensorScope() {
    }

    public static TensorScope open() {
        TensorScope scope = new TensorScope();
        STACK.get().push(scope);
        return scope;
    }

    /** The innermost open scope on this thread, or null. */
    public static TensorScope current() {
        return STACK.get().peek();
    }

    static void track(Storage s) {
        TensorScope scope = STACK.get().peek();
        if (scope != null) {
            scope.owned.put(s, Boolean.TRUE);
            scope.order.add(s);
        }
    }

    /** Hands the storage to the enclosing scope (or to nobody), so closing this one does not release it. */
    public Storage escape(Storage s) {
        if (owned.remove(s) != null) {
            Deque<TensorScope> stack = STACK.get();
            TensorScope parent = null;
            boolean seenSelf = false;
            for (TensorScope sc : stack) {
                if (seenSelf) {
                    parent = sc;
                    break;
                }
                seenSelf = sc == this;
            }
            if (parent != null) {
                parent.owned.put(s, Boolean.TRUE);
                parent.order.add(s);
            }
        }
        return s;
    }

    /**
     * Takes the storage out of this scope without handing it on: the caller now holds its reference and must
     * {@link Storage#release()} it, or give it to a scope with {@link #adopt}. For values that live across
     * scopes in a rolling way (a layer's output, dropped once the next layer has run).
     */
    public Storage take(Storage s) {
        if (owned.remove(s) == null) {
            throw new IllegalStateException("take: the storage is not owned by this scope");
        }
        return s;
    }

    /** The innermost open scope takes over a reference the caller holds (see {@link #take}); with none open the caller's reference is simply dropped to the garbage collector. */
    public static Storage adopt(Storage s) {
        track(s);
        return s;
    }

    /**
     * Runs body in a scope of its own and returns its result owned by no scope: long-lived state (a moved
     * parameter, an optimizer's moments) made while a caller's scope is open must not be released when that
     * scope closes. The caller holds the one reference. Temporaries body makes are released as usual.
     */
    public static <T extends org.sparsetuning.tensor.Tensor> T unowned(java.util.function.Supplier<T> body) {
        try (TensorScope scope = open()) {
            T t = body.get();
            t.storage().retain();
            return t;
        }
    }

    /** Number of storages this scope still owns. */
    public int size() {
        return owned.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Deque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("TensorScopes must be closed innermost first");
        }
        stack.pop();
        for (Storage s : order) {
            if (owned.remove(s) != null) {
                s.release();
            }
        }
        order.clear();
    }
}
