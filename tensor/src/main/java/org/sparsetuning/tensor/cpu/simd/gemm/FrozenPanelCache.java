package org.sparsetuning.tensor.cpu.simd.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.sparsetuning.tensor.storage.Storage;

/**
 * Packed panels of frozen weights, so a frozen backbone is packed once instead of on every call (worth about
 * 25% at batch 1). Keyed weakly on the storage's identity (Storage does not override equals), so an entry
 * goes when its weight is collected; an entry is valid only while the storage is still frozen at the same
 * {@link Storage#frozenEpoch()} (unfreezing, writing and refreezing bumps the epoch) and for the same view
 * (offset, strides, shape), since one storage can hold several matrices.
 */
final class FrozenPanelCache {
    private static final Map<Storage, List<Entry>> CACHE = new WeakHashMap<>();

    private FrozenPanelCache() {
    }

    private static final class Entry {
        final int epoch;
        final MatrixKey key;
        final PackedB packed;

        Entry(int epoch, MatrixKey key, PackedB packed) {
            this.epoch = epoch;
            this.key = key;
            this.packed = packed;
        }
    }

    /** Which matrix of the storage: its view geometry. */
    static final class MatrixKey {
        final int offset;
        final int rows;
        final int cols;
        final int rowStride;
        final int colStride;

        MatrixKey(MatrixView m) {
            this.offset = m.offset;
            this.rows = m.rows;
            this.cols = m.cols;
            this.rowStride = m.rowStride;
            this.colStride = m.colStride;
        }

        boolean same(MatrixKey o) {
            return offset == o.offset && rows == o.rows && cols == o.cols
                    && rowStride == o.rowStride && colStride == o.colStride;
        }
    }

    /** The cached packing of b, or null. Drops the storage's stale entries (older epochs) on the way. */
    static synchronized PackedB lookup(Storage storage, MatrixView b) {
        List<Entry> entries = CACHE.get(storage);
        if (entries == null) {
            return null;
        }
        int epoch = storage.frozenEpoch();
        if (!storage.isFrozen() || storage.isReleased()) {
            CACHE.remove(storage);
            return null;
        }
        entries.removeIf(e -> e.epoch != epoch);
        MatrixKey key = new MatrixKey(b);
        for (Entry e : entries) {
            if (e.key.same(key)) {
                return e.packed;
            }
        }
        return null;
    }

    /** Records a packing made while the storage was frozen at {@code epoch}. */
    static synchronized void store(Storage storage, int epoch, MatrixView b, PackedB packed) {
        if (!storage.isFrozen() || storage.frozenEpoch() != epoch) {
            return; // unfrozen while we packed: the contents may have changed under us
        }
        List<Entry> entries = CACHE.computeIfAbsent(storage, s -> new ArrayList<>());
        entries.removeIf(e -> e.epoch != epoch);
        entries.add(new Entry(epoch, new MatrixKey(b), packed));
    }

    /** Bytes held by the cached packings: memory beside the tensors, like a caching allocator's reserve. */
    static synchronized long bytes() {
        long b = 0;
        for (List<Entry> l : CACHE.values()) {
            for (Entry e : l) {
                b += 4L * e.packed.data.length;
            }
        }
        return b;
    }

    /** Number of cached packings (for tests). */
    static synchronized int size() {
        int n = 0;
        for (List<Entry> l : CACHE.values()) {
            n += l.size();
        }
        return n;
    }

    static synchronized void clear() {
        CACHE.clear();
    }
}
