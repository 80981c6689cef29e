package org.sparsetuning.data.views;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Seeds;

/**
 * Deterministic few-shot subsets: the same (dataset, n, seed) always gives the same examples. Each class's
 * examples are shuffled by a stream derived from (seed, class), so the draw for one class does not change
 * when another class is added or removed. The result keeps the base dataset's order.
 */
public final class FewShot {
    private FewShot() {
    }

    /** {@code n} examples of every class. */
    public static Subset perClass(Dataset base, int n, long seed) {
        int k = base.classNames().size();
        int[] counts = new int[k];
        Arrays.fill(counts, n);
        return draw(base, counts, seed, n + " per class, seed " + seed);
    }

    /**
     * {@code n} examples in all, spread over the classes as evenly as possible: each gets {@code n / k}, and
     * {@code n mod k} classes chosen from the seed get one more.
     */
    public static Subset total(Dataset base, int n, long seed) {
        int k = base.classNames().size();
        if (n < 0) {
            throw new IllegalArgumentException("few-shot size must be >= 0, got " + n);
        }
        int[] counts = new int[k];
        Arrays.fill(counts, n / k);
        int[] order = Seeds.forPurpose(seed, "few-shot-extra", 0).permutation(k);
        for (int i = 0; i < n % k; i++) {
            counts[order[i]]++;
        }
        return draw(base, counts, seed, n + " in all, seed " + seed);
    }

    private static Subset draw(Dataset base, int[] counts, long seed, String description) {
        int k = counts.length;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < base.size(); i++) {
            byClass.get(base.label(i)).add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (counts[c] < 0) {
                throw new IllegalArgumentException("few-shot size must be >= 0, got " + counts[c]);
            }
            List<Integer> pool = byClass.get(c);
            if (pool.size() < counts[c]) {
                throw new IllegalArgumentException(base.source() + ": class " + c + " ('" + base.classNames().get(c)
                        + "') has " + pool.size() + " examples, " + counts[c] + " asked for the few-shot draw");
            }
            int[] perm = Seeds.forPurpose(seed, "few-shot", c).permutation(pool.size());
            for (int j = 0; j < counts[c]; j++) {
                chosen.add(pool.get(perm[j]));
            }
        }
        int[] idx = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Subset(base, idx, "few-shot " + description);
    }
}
