package org.sparsetuning.data.loader;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sparsetuning.data.BadFileException;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Batch;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.Seeds;
import org.sparsetuning.data.SkippedExample;
import org.sparsetuning.data.transforms.ModelInput;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.tensor.Tensor;

/**
 * Turns a {@link Dataset} into {@link Batch}es, decoding and transforming on background threads.
 *
 * <p>Determinism: an epoch's order is a permutation drawn from (seed, epoch) and each example's
 * augmentation from (seed, epoch, dataset index) (see {@link Seeds}), and batches are handed out in order, so
 * the batches are the same whatever the number of workers. For clips, the frames are picked from (seed, epoch,
 * index) by the pipeline's {@link FrameSampling}, and every frame is transformed with the same draws. Workers
 * prepare whole batches, at most {@code prefetch} ahead of the consumer; tensors are created on the consumer's thread in
 * {@link Epoch#next()}, so they belong to the consumer's {@code TensorScope}.
 *
 * <p>Bad files: a reader's {@link IOException} (which names the file) either ends the epoch with a
 * {@link BadFileException} ({@link BadFilePolicy#STOP}) or drops the example from its batch, logging the
 * file the first time and counting every occurrence ({@link BadFilePolicy#SKIP}). A batch whose examples
 * were all skipped is not produced. Other errors (a transform that does not fit the image, examples of
 * different sizes in one batch) always stop the epoch.
 */
public final class DataLoader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataLoader.class.getName());
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Dataset dataset;
    private final TransformPipeline pipeline;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int workers;
    private final int prefetch;
    private final BadFilePolicy policy;
    private final int shardRank;
    private final int shards;
    private final ExecutorService executor;
    private final List<SkippedExample> skipped = new ArrayList<>();
    private final Set<Integer> warned = ConcurrentHashMap.newKeySet();
    private Epoch current;
    private volatile boolean closed;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.pipeline = b.pipeline;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.workers = b.workers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(2, 2 * b.workers);
        this.policy = b.policy;
        this.shardRank = b.shardRank;
        this.shards = b.shards;
        this.executor = workers == 0 ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "data-loader-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(Dataset dataset, TransformPipeline pipeline) {
        return new Builder(dataset, pipeline);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches in an epoch (before any skipped file shortens or removes one). */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The dataset indices in the order epoch {@code epoch} visits them. */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] id = new int[dataset.size()];
            java.util.Arrays.setAll(id, i -> i);
            return id;
        }
        return Seeds.forShuffle(seed, epoch).permutation(dataset.size());
    }

    /** Starts epoch {@code epoch} from its first batch. Starting an epoch abandons the previous one. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** Starts epoch {@code epoch} at batch {@code firstBatch} (to resume a run part-way through an epoch). */
    public synchronized Epoch epoch(int epoch, int firstBatch) {
        if (closed) {
            throw new IllegalStateException("data loader over " + dataset.source() + " is closed");
        }
        if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("epoch " + epoch + ", first batch " + firstBatch + ": expected epoch >= 0 and 0 <= first batch <= "
                    + batchesPerEpoch());
        }
        if (current != null) {
            current.close();
        }
        current = new Epoch(epoch, firstBatch);
        return current;
    }

    /** Every example skipped so far (all epochs), by epoch then position. */
    public List<SkippedExample> skipped() {
        synchronized (skipped) {
            List<SkippedExample> copy = new ArrayList<>(skipped);
            copy.sort(Comparator.comparingInt(SkippedExample::epoch).thenComparingInt(SkippedExample::position));
            return copy;
        }
    }

    /** How many examples were skipped so far (a bad file counts once per epoch it was met in). */
    public int skippedCount() {
        synchronized (skipped) {
            return skipped.size();
        }
    }

    /** One line for logs. */
    public String describe() {
        return "DataLoader(" + dataset.size() + " examples from " + dataset.source() + ", batch " + batchSize
                + (shuffle ? ", shuffled with seed " + seed : ", in order") + (dropLast ? ", drop last" : "")
                + ", " + workers + " worker" + (workers == 1 ? "" : "s") + ", prefetch " + prefetch
                + ", bad files: " + policy + "; " + pipeline.describe() + ")";
    }

    /** Stops the workers; the loader cannot be used afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** A batch prepared by a worker, before it becomes tensors. */
    private record Prepared(float[] pixels, int[] labels, int[] indices, int c, int t, int h, int w) {
        Batch toBatch() {
            int b = indices.length;
            Tensor images = t == 0 ? Tensor.of(pixels, b, c, h, w) : Tensor.of(pixels, b, c, t, h, w);
            return new Batch(images, Tensor.ofInts(labels, b), indices);
        }
    }

    /**
     * One pass over the data: an iterator of batches (also usable once in a for-each loop). Closing it, or
     * starting another epoch, cancels the batches still being prepared.
     */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final ArrayDeque<Future<Prepared>> pending = new ArrayDeque<>();
        private final AtomicInteger skippedHere = new AtomicInteger();
        private int nextToSubmit;
        private Prepared ready;
        private boolean finished;
        private volatile boolean cancelled;
        // A future already taken off the queue is not cancelled by close(); the consumer sees the
        // cancellation through the flag on its next hasNext().

        private Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.batches = batchesPerEpoch();
            this.nextToSubmit = firstBatch;
        }

        public int number() {
            return epoch;
        }

        /** Examples skipped so far in this epoch. */
        public int skippedCount() {
            return skippedHere.get();
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            if (cancelled) {
                ready = null;
                finished = true;
            }
            while (ready == null && !finished) {
                Future<Prepared> head;
                synchronized (pending) {
                    fill();
                    head = pending.poll();
                }
                if (head == null) {
                    finished = true;
                    break;
                }
                Prepared p = await(head);
                // A shard may be empty (a last batch smaller than the replicas); it still stands for its global batch.
                if (p.indices.length > 0 || shards > 1) {
                    ready = p;
                }
            }
            return ready != null;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            Prepared p = ready;
            ready = null;
            return p.toBatch();
        }

        /** Submits batches until {@code prefetch} are in flight (caller holds the {@code pending} lock). */
        private void fill() {
            if (cancelled) {
                return;
            }
            int ahead = executor == null ? 1 : prefetch;
            while (pending.size() < ahead && nextToSubmit < batches) {
                int b = nextToSubmit++;
                if (executor == null) {
                    FutureTask<Prepared> task = new FutureTask<>(() -> prepare(this, b));
                    task.run();
                    pending.add(task);
                } else {
                    pending.add(executor.submit(() -> prepare(this, b)));
                }
            }
        }

        private Prepared await(Future<Prepared> f) {
            try {
                return f.get();
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                if (cause instanceof CancellationException) {
                    throw cancelled(cause);
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("preparing a batch of " + dataset.source() + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch of " + dataset.source(), e);
            } catch (CancellationException e) {
                close();
                throw cancelled(e);
            }
        }

        private IllegalStateException cancelled(Throwable cause) {
            return new IllegalStateException("epoch " + epoch + " of " + dataset.source()
                    + " was cancelled while a batch was awaited (loader closed, or another epoch started)", cause);
        }

        /** Cancels the batches still being prepared; the epoch yields nothing more. Safe from any thread. */
        @Override
        public void close() {
            cancelled = true;
            synchronized (pending) {
                for (Future<Prepared> f : pending) {
                    f.cancel(true);
                }
                pending.clear();
            }
        }
    }

    /** Decodes and transforms batch {@code b} of an epoch (runs on a worker thread). */
    private Prepared prepare(Epoch e, int b) {
        int from = b * batchSize, to = Math.min(from + batchSize, e.order.length);
        if (shards > 1) {
            // The shard's slice of the global batch, cut as the Trainer cuts micro-batches for gradient accumulation.
            int len = to - from, micro = (len + shards - 1) / shards;
            to = from + Math.min((shardRank + 1) * micro, len);
            from = from + Math.min(shardRank * micro, len);
        }
        List<ModelInput> inputs = new ArrayList<>(to - from);
        int[] labels = new int[to - from];
        int[] indices = new int[to - from];
        String firstOrigin = null;
        FrameSampling frames = pipeline.frames();
        for (int pos = from; pos < to; pos++) {
            if (e.cancelled) {
                throw new CancellationException();
            }
            int index = e.order[pos];
            Sample s;
            try {
                s = dataset.get(index, frames, frames != null && frames.random() ? Seeds.forFrames(seed, e.epoch, index) : null);
            } catch (IOException ex) {
                if (e.cancelled || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException(); // an interrupted read, not a bad file
                }
                if (policy == BadFilePolicy.STOP) {
                    throw new BadFileException(index, ex);
                }
                skip(e, index, pos, ex);
                continue;
            }
            ModelInput in = pipeline.input(s, () -> Seeds.forExample(seed, e.epoch, index));
            if (!inputs.isEmpty()) {
                ModelInput first = inputs.get(0);
                if (!in.sameShape(first)) {
                    throw new IllegalStateException(s.origin() + " is " + in.sizeString() + " after the transforms but "
                            + firstOrigin + " in the same batch is " + first.sizeString()
                            + "; a batch needs one size: add Resize/CenterCrop (and GrayToRgb for mixed gray/colour files)");
                }
            } else {
                firstOrigin = s.origin();
            }
            labels[inputs.size()] = s.label();
            indices[inputs.size()] = index;
            inputs.add(in);
        }
        int n = inputs.size();
        if (n == 0) {
            return new Prepared(new float[0], new int[0], new int[0], 0, 0, 0, 0);
        }
        ModelInput first = inputs.get(0);
        int per = first.pixels().length;
        float[] pixels = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs.get(i).pixels(), 0, pixels, i * per, per);
        }
        return new Prepared(pixels, java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOf(indices, n),
                first.channels(), first.frames(), first.height(), first.width());
    }

    private void skip(Epoch e, int index, int pos, IOException ex) {
        synchronized (skipped) {
            skipped.add(new SkippedExample(e.epoch, index, pos, ex.getMessage()));
        }
        e.skippedHere.incrementAndGet();
        if (warned.add(index)) {
            LOG.warning("skipping unreadable example " + index + ": " + ex.getMessage());
        } else {
            LOG.log(Level.FINE, "skipping unreadable example {0} again in epoch {1}", new Object[] {index, e.epoch});
        }
    }

    /** Settings of a {@link DataLoader}; defaults: batch 32, shuffled, seed 0, keep the last partial batch, STOP. */
    public static final class Builder {
        private final Dataset dataset;
        private final TransformPipeline pipeline;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed;
        private boolean dropLast;
        private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        private int prefetch;
        private BadFilePolicy policy = BadFilePolicy.STOP;
        private int shardRank;
        private int shards = 1;

        private Builder(Dataset dataset, TransformPipeline pipeline) {
            this.dataset = java.util.Objects.requireNonNull(dataset, "dataset");
            this.pipeline = java.util.Objects.requireNonNull(pipeline, "pipeline");
        }

        public Builder batchSize(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + n);
            }
            batchSize = n;
            return this;
        }

        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        /** Drives the shuffling and the random transforms. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder dropLast(boolean on) {
            dropLast = on;
            return this;
        }

        /** Background threads (0: decode on the caller's thread). */
        public Builder workers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("workers must be >= 0, got " + n);
            }
            workers = n;
            return this;
        }

        /** Batches prepared ahead of the consumer (default: twice the workers, at least 2). */
        public Builder prefetch(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("prefetch must be positive, got " + n);
            }
            prefetch = n;
            return this;
        }

        public Builder onBadFile(BadFilePolicy p) {
            policy = java.util.Objects.requireNonNull(p, "policy");
            return this;
        }

        /**
         * Data-parallel training: every batch holds only replica {@code rank}'s slice of the global batch (of
         * {@link #batchSize}), the {@code rank}-th of {@code replicas} slices of ceil(B / replicas) examples, so the
         * replicas' slices are disjoint and together make the batch a single loader would give. Slices may be empty;
         * every replica sees one batch per global batch.
         */
        public Builder shard(int rank, int replicas) {
            if (replicas < 1 || rank < 0 || rank >= replicas) {
                throw new IllegalArgumentException("shard " + rank + " of " + replicas + ": expected 0 <= rank < replicas");
            }
            shardRank = rank;
            shards = replicas;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
