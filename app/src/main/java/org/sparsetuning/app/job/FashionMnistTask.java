package org.sparsetuning.app.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.train.TensorData;

/**
 * The main job's transfer task on Fashion-MNIST: the upstream task is the first five classes (all their training
 * images), the downstream task the other five, with a few-shot training set of {@code shots} images per class, a
 * disjoint validation set of {@code valPerClass} per class (both drawn from the training split with the seed), and
 * every test image of those classes as the test set. Labels are renumbered 0–4 within each task.
 */
public final class FashionMnistTask {
    static final List<String> CLASSES = FashionMnist.CLASSES;
    static final double[] MEAN = {0.5};
    static final double[] STD = {0.5};

    public final TensorData upstreamTrain;
    public final TensorData upstreamTest;
    public final TensorData train;
    public final TensorData val;
    public final TensorData test;

    /**
     * @param upstreamLimit at most this many upstream training images (a seeded sample, balanced as the data is)
     */
    public FashionMnistTask(Dataset trainSplit, Dataset testSplit, int upstreamLimit, int shots, int valPerClass, long seed)
            throws IOException {
        if (trainSplit.classNames().size() != 10 || testSplit.classNames().size() != 10) {
            throw new IllegalArgumentException(trainSplit.source() + ": Fashion-MNIST has 10 classes, found "
                    + trainSplit.classNames().size());
        }
        int[] upMap = {0, 1, 2, 3, 4, -1, -1, -1, -1, -1};
        int[] downMap = {-1, -1, -1, -1, -1, 0, 1, 2, 3, 4};
        List<String> upNames = CLASSES.subList(0, 5);
        List<String> downNames = CLASSES.subList(5, 10);
        Generator g = new Generator(seed);
        int[] upAll = shuffled(classesOf(trainSplit, 0, 5), g);
        int[] up = Arrays.copyOf(upAll, Math.min(upstreamLimit, upAll.length));
        Arrays.sort(up);
        upstreamTrain = TensorData.decode(trainSplit, up, upMap, upNames, MEAN, STD, "upstream train");
        upstreamTest = TensorData.decode(testSplit, classesOf(testSplit, 0, 5), upMap, upNames, MEAN, STD, "upstream test");
        List<Integer> few = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int c = 5; c < 10; c++) {
            int[] pool = shuffled(classesOf(trainSplit, c, c + 1), g);
            if (pool.length < shots + valPerClass) {
                throw new IllegalArgumentException(trainSplit.source() + ": class " + CLASSES.get(c) + " has " + pool.length
                        + " training images, the task needs " + (shots + valPerClass));
            }
            for (int i = 0; i < shots; i++) {
                few.add(pool[i]);
            }
            for (int i = shots; i < shots + valPerClass; i++) {
                held.add(pool[i]);
            }
        }
        train = TensorData.decode(trainSplit, sorted(few), downMap, downNames, MEAN, STD, "few-shot train");
        val = TensorData.decode(trainSplit, sorted(held), downMap, downNames, MEAN, STD, "validation");
        test = TensorData.decode(testSplit, classesOf(testSplit, 5, 10), downMap, downNames, MEAN, STD, "test");
    }

    private static int[] classesOf(Dataset ds, int from, int to) {
        int n = 0;
        int[] idx = new int[ds.size()];
        for (int i = 0; i < ds.size(); i++) {
            int y = ds.label(i);
            if (y >= from && y < to) {
                idx[n++] = i;
            }
        }
        return Arrays.copyOf(idx, n);
    }

    private static int[] shuffled(int[] idx, Generator g) {
        int[] p = g.permutation(idx.length);
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[p[i]];
        }
        return out;
    }

    private static int[] sorted(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
