package org.sparsetuning.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.data.Batch;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.loader.DataLoader;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.transforms.TransformPipeline;

/**
 * A {@link Dataset} read through {@link DataLoader}s: decoding and transforms on background threads, the training
 * pipeline (random crops, flips) for training passes and the evaluation pipeline for evaluation. Loaders are
 * made on first use for each batch size and seed, and closed with this object.
 */
public final class LoaderData implements TrainingData, AutoCloseable {
    private final Dataset dataset;
    private final TransformPipeline training;
    private final TransformPipeline evaluation;
    private final int workers;
    private final BadFilePolicy policy;
    private final Map<String, DataLoader> loaders = new HashMap<>();
    private int shardRank;
    private int shards = 1;

    /**
     * @param training applied to training batches (its random draws come from (seed, epoch, example))
     * @param evaluation applied to evaluation batches; must not be random
     * @param workers background decoding threads (0: on the caller's thread)
     */
    public LoaderData(Dataset dataset, TransformPipeline training, TransformPipeline evaluation, int workers,
            BadFilePolicy policy) {
        if (evaluation.isRandom()) {
            throw new IllegalArgumentException("the evaluation pipeline must not be random: " + evaluation.describe());
        }
        this.dataset = dataset;
        this.training = training;
        this.evaluation = evaluation;
        this.workers = workers;
        this.policy = policy;
    }

    /**
     * Data-parallel training: training batches hold only replica {@code rank}'s slice of each global batch
     * ({@link DataLoader.Builder#shard}); evaluation still reads everything.
     */
    public synchronized LoaderData shard(int rank, int replicas) {
        if (!loaders.isEmpty()) {
            throw new IllegalStateException("shard before the first batch is read");
        }
        DataLoader.builder(dataset, training).shard(rank, replicas); // checks the arguments
        shardRank = rank;
        shards = replicas;
        return this;
    }

    public Dataset dataset() {
        return dataset;
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public List<String> classNames() {
        return dataset.classNames();
    }

    @Override
    public String source() {
        return dataset.source();
    }

    @Override
    public BatchStream shuffled(int epoch, int first, int batchSize, long seed) {
        return stream(loader(true, batchSize, seed).epoch(epoch, first));
    }

    @Override
    public BatchStream inOrder(int batchSize) {
        return stream(loader(false, batchSize, 0).epoch(0));
    }

    private synchronized DataLoader loader(boolean train, int batchSize, long seed) {
        String key = train + "/" + batchSize + "/" + seed;
        return loaders.computeIfAbsent(key, k -> DataLoader.builder(dataset, train ? training : evaluation)
                .batchSize(batchSize).shuffle(train).seed(seed).workers(workers).onBadFile(policy)
                .shard(train ? shardRank : 0, train ? shards : 1).build());
    }

    private static BatchStream stream(DataLoader.Epoch epoch) {
        return new BatchStream() {
            @Override
            public boolean hasNext() {
                return epoch.hasNext();
            }

            @Override
            public Batch next() {
                return epoch.next();
            }

            @Override
            public void close() {
                epoch.close();
            }
        };
    }

    @Override
    public synchronized void close() {
        loaders.values().forEach(DataLoader::close);
        loaders.clear();
    }
}
