package org.sparsetuning.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparsetuning.data.loader.DataLoader;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.transforms.Interpolation;
import org.sparsetuning.data.transforms.RandomHorizontalFlip;
import org.sparsetuning.data.transforms.RandomResizedCrop;
import org.sparsetuning.data.transforms.TransformPipeline;

class DataLoaderTest {
    static final TransformPipeline AUGMENT = TransformPipeline.of(new RandomResizedCrop(3, Interpolation.BICUBIC),
            new RandomHorizontalFlip());

    /** A batch as plain arrays, for comparing runs. */
    record Flat(float[] images, int[] shape, int[] labels, int[] indices) {
        static Flat of(Batch b) {
            return new Flat(b.images().toFloatArray(), b.images().shape(), b.labels().toIntArray(), b.indices());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Flat f && Arrays.equals(images, f.images) && Arrays.equals(shape, f.shape)
                    && Arrays.equals(labels, f.labels) && Arrays.equals(indices, f.indices);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(indices);
        }

        @Override
        public String toString() {
            return "Flat" + Arrays.toString(indices);
        }
    }

    static List<Flat> run(DataLoader loader, int epoch) {
        List<Flat> out = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            for (Batch b : e) {
                out.add(Flat.of(b));
            }
        }
        return out;
    }

    static DataLoader.Builder loader(Dataset d, TransformPipeline p) {
        return DataLoader.builder(d, p).batchSize(4).seed(11);
    }

    @Test
    void batchesAreTheSameWhateverTheNumberOfWorkers() {
        Dataset d = MemoryDataset.cyclic(23, 3);
        Map<String, List<Flat>> runs = new HashMap<>();
        for (int workers : new int[] {0, 1, 3}) {
            for (int prefetch : new int[] {1, 5}) {
                try (DataLoader l = loader(d, AUGMENT).workers(workers).prefetch(prefetch).build()) {
                    List<Flat> both = new ArrayList<>(run(l, 0));
                    both.addAll(run(l, 1));
                    runs.put(workers + "/" + prefetch, both);
                }
            }
        }
        List<Flat> reference = runs.get("0/1");
        assertEquals(12, reference.size(), "6 batches per epoch (the last one of 3), two epochs");
        runs.forEach((k, v) -> assertEquals(reference, v, "workers/prefetch " + k));
        assertNotEquals(reference.subList(0, 6), reference.subList(6, 12), "epochs differ");
    }

    @Test
    void eachExampleIsAugmentedByItsOwnStream() {
        // Batch size and order change nothing for a given (seed, epoch, index).
        Dataset d = MemoryDataset.cyclic(20, 2);
        Map<Integer, float[]> byIndex = new HashMap<>();
        try (DataLoader l = loader(d, AUGMENT).workers(2).build()) {
            for (Flat f : run(l, 3)) {
                for (int i = 0; i < f.indices().length; i++) {
                    byIndex.put(f.indices()[i], Arrays.copyOfRange(f.images(), i * 9, (i + 1) * 9));
                }
            }
        }
        try (DataLoader l = loader(d, AUGMENT).batchSize(7).shuffle(false).workers(1).build()) {
            for (Flat f : run(l, 3)) {
                for (int i = 0; i < f.indices().length; i++) {
                    assertArrayEquals(byIndex.get(f.indices()[i]), Arrays.copyOfRange(f.images(), i * 9, (i + 1) * 9));
                }
            }
        }
    }

    @Test
    void shuffleIsAPermutationPerEpochFromTheSeed() {
        Dataset d = MemoryDataset.cyclic(50, 5);
        try (DataLoader a = loader(d, TransformPipeline.identity()).build();
                DataLoader b = loader(d, TransformPipeline.identity()).build();
                DataLoader other = loader(d, TransformPipeline.identity()).seed(12).build();
                DataLoader plain = loader(d, TransformPipeline.identity()).shuffle(false).build()) {
            int[] e0 = a.order(0);
            assertArrayEquals(e0, b.order(0));
            assertFalse(Arrays.equals(e0, a.order(1)));
            assertFalse(Arrays.equals(e0, other.order(0)));
            int[] sorted = e0.clone();
            Arrays.sort(sorted);
            assertArrayEquals(plain.order(0), sorted);
            int[] seen = run(a, 0).stream().flatMapToInt(f -> Arrays.stream(f.indices())).toArray();
            assertArrayEquals(e0, seen);
        }
    }

    @Test
    void batchesHoldTheDecodedPixelsAndLabels() {
        Dataset d = MemoryDataset.cyclic(10, 4);
        try (DataLoader l = loader(d, TransformPipeline.identity()).shuffle(false).build()) {
            List<Flat> batches = run(l, 0);
            assertEquals(3, batches.size());
            Flat last = batches.get(2);
            assertArrayEquals(new int[] {2, 1, 4, 6}, last.shape());
            assertArrayEquals(new int[] {8, 9}, last.indices());
            assertArrayEquals(new int[] {0, 1}, last.labels());
            assertEquals(MemoryDataset.pixel(9, 23), last.images()[24 + 23]);
            assertEquals(3, l.batchesPerEpoch());
        }
        try (DataLoader l = loader(d, TransformPipeline.identity()).dropLast(true).build()) {
            List<Flat> batches = run(l, 0);
            assertEquals(2, batches.size());
            assertEquals(2, l.batchesPerEpoch());
            assertTrue(batches.stream().allMatch(f -> f.indices().length == 4));
        }
    }

    @Test
    void tensorsBelongToTheConsumersScope() {
        try (DataLoader l = loader(MemoryDataset.cyclic(8, 2), TransformPipeline.identity()).workers(2).build();
                DataLoader.Epoch e = l.epoch(0);
                TensorScope scope = TensorScope.open()) {
            Batch b = e.next();
            assertEquals(4, b.size());
            assertEquals(2, scope.size(), "images and labels are owned by the scope open on this thread");
        }
    }

    @Test
    void resumingPartWayGivesTheRemainingBatches() {
        Dataset d = MemoryDataset.cyclic(30, 3);
        try (DataLoader l = loader(d, AUGMENT).workers(2).build()) {
            List<Flat> all = run(l, 2);
            List<Flat> rest = new ArrayList<>();
            try (DataLoader.Epoch e = l.epoch(2, 5)) {
                e.forEachRemaining(b -> rest.add(Flat.of(b)));
            }
            assertEquals(all.subList(5, all.size()), rest);
            assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 9));
        }
    }

    @Test
    void stopPolicyEndsTheEpochNamingTheFile() {
        Dataset d = new MemoryDataset(new int[20], 1, 4, 6, Set.of(13));
        for (int workers : new int[] {0, 3}) {
            try (DataLoader l = loader(d, TransformPipeline.identity()).shuffle(false).workers(workers).build()) {
                DataLoader.Epoch e = l.epoch(0);
                int batches = 0;
                BadFileException ex = null;
                try {
                    while (e.hasNext()) {
                        e.next();
                        batches++;
                    }
                } catch (BadFileException caught) {
                    ex = caught;
                }
                assertTrue(ex != null, "a bad file must not pass silently");
                assertEquals(3, batches, "batches 0-2 come before the one holding example 13");
                assertEquals(13, ex.index());
                assertTrue(ex.getMessage().contains("/data/bad-13.jpg") && ex.getMessage().contains("example 13"), ex.getMessage());
                assertFalse(e.hasNext(), "the epoch is over");
                assertEquals(0, l.skippedCount());
                BadFileException again = assertThrows(BadFileException.class, () -> run(l, 1), "the next epoch meets it too");
                assertEquals(13, again.index());
            }
        }
    }

    @Test
    void skipPolicyLeavesTheFileOutCountsAndLogsIt() {
        Dataset d = new MemoryDataset(new int[10], 1, 4, 6, Set.of(2, 4, 5, 6, 7));
        List<String> logged;
        try (LogCapture log = new LogCapture(DataLoader.class)) {
            try (DataLoader l = loader(d, TransformPipeline.identity()).shuffle(false).workers(3)
                    .onBadFile(BadFilePolicy.SKIP).build()) {
                List<Flat> batches = run(l, 0);
                // [0 1 (2) 3] [(4) (5) (6) (7)] [8 9]: the all-bad batch is not produced
                assertEquals(2, batches.size());
                assertArrayEquals(new int[] {0, 1, 3}, batches.get(0).indices());
                assertArrayEquals(new int[] {8, 9}, batches.get(1).indices());
                assertEquals(5, l.skippedCount());
                DataLoader.Epoch again = l.epoch(1);
                again.forEachRemaining(b -> { });
                assertEquals(5, again.skippedCount());
                assertEquals(10, l.skippedCount(), "every occurrence counts");
                List<SkippedExample> s = l.skipped();
                assertEquals(new SkippedExample(0, 2, 2, "/data/bad-2.jpg: cannot decode image (test)"), s.get(0));
                assertEquals(1, s.get(9).epoch());
                assertEquals(7, s.get(9).index());
            }
            logged = log.messages();
        }
        assertEquals(5, logged.stream().filter(m -> m.contains("/data/bad-")).count(), "each bad file logged once: " + logged);
    }

    @Test
    void examplesOfDifferentSizesInOneBatchAreAnError() {
        Dataset mixed = new Dataset() {
            final Dataset base = MemoryDataset.cyclic(4, 1);

            @Override
            public int size() {
                return 4;
            }

            @Override
            public List<String> classNames() {
                return base.classNames();
            }

            @Override
            public int label(int index) {
                return 0;
            }

            @Override
            public Sample get(int index) throws java.io.IOException {
                return index == 2 ? new Sample(new float[9], 1, 3, 3, 0, "odd.png") : base.get(index);
            }

            @Override
            public String source() {
                return "mixed";
            }
        };
        try (DataLoader l = loader(mixed, TransformPipeline.identity()).shuffle(false).onBadFile(BadFilePolicy.SKIP).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(l, 0));
            assertTrue(e.getMessage().contains("odd.png is 1x3x3") && e.getMessage().contains("memory#0")
                    && e.getMessage().contains("1x4x6"), e.getMessage());
        }
    }

    @Test
    void closeStopsTheWorkers() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        DataLoader l = loader(MemoryDataset.cyclic(40, 2), AUGMENT).workers(3).build();
        DataLoader.Epoch e = l.epoch(0);
        e.next();
        List<Thread> mine = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("data-loader-")).toList();
        assertFalse(mine.isEmpty());
        assertTrue(mine.stream().allMatch(Thread::isDaemon));
        l.close();
        assertFalse(e.hasNext(), "a closed loader's epoch yields nothing more");
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> l.epoch(1));
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
        for (Thread t : mine) {
            t.join(30_000);
            assertFalse(t.isAlive(), t.getName() + " still running after close()");
        }
    }

    @Test
    void startingAnotherEpochAbandonsTheFirst() {
        try (DataLoader l = loader(MemoryDataset.cyclic(40, 2), AUGMENT).workers(2).build()) {
            List<Flat> full = run(l, 1);
            DataLoader.Epoch first = l.epoch(0);
            first.next();
            assertEquals(full, run(l, 1));
            assertFalse(first.hasNext());
        }
    }

    @Test
    void describeSaysHowItRuns() {
        try (DataLoader l = loader(MemoryDataset.cyclic(5, 1), AUGMENT).workers(2).prefetch(3).dropLast(true).build()) {
            assertEquals("DataLoader(5 examples from memory(5), batch 4, shuffled with seed 11, drop last, 2 workers, prefetch 3, "
                    + "bad files: STOP; RandomResizedCrop(3x3, scale=[0.08, 1.0], ratio=[0.7500, 1.333], bicubic) -> "
                    + "RandomHorizontalFlip(p=0.5))", l.describe());
        }
    }
}
