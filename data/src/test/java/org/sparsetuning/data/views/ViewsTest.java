package org.sparsetuning.data.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.MemoryDataset;

class ViewsTest {
    static int[] baseIndices(Subset s) {
        int[] out = new int[s.size()];
        Arrays.setAll(out, s::baseIndex);
        return out;
    }

    @Test
    void subsetMapsIndices() throws IOException {
        Dataset base = MemoryDataset.cyclic(10, 3);
        Subset s = new Subset(base, new int[] {7, 2, 2});
        assertEquals(3, s.size());
        assertEquals(1, s.label(0));
        assertEquals("memory#7", s.get(0).origin());
        assertEquals(base.classNames(), s.classNames());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> new Subset(base, new int[] {1, 10}));
        assertTrue(e.getMessage().contains("subset index 10 (position 1)"), e.getMessage());
    }

    @Test
    void classFilterRelabelsInTheGivenOrderWithNames() throws IOException {
        Dataset base = MemoryDataset.cyclic(30, 10);
        ClassFilter f = ClassFilter.range(base, 5, 9);
        assertEquals(List.of("class5", "class6", "class7", "class8", "class9"), f.classNames());
        assertEquals(15, f.size());
        assertEquals(5, f.baseIndex(0));
        assertEquals(0, f.label(0));
        assertEquals(4, f.label(4));
        assertEquals(0, f.get(5).label(), "example 15 has class 5 -> label 0");
        assertEquals("memory#15", f.get(5).origin());
        ClassFilter swapped = new ClassFilter(base, 9, 2);
        assertEquals(List.of("class9", "class2"), swapped.classNames());
        assertEquals(List.of(2, 9), List.of(swapped.baseIndex(0), swapped.baseIndex(1)));
        assertEquals(List.of(1, 0), List.of(swapped.label(0), swapped.label(1)));
        assertThrows(IllegalArgumentException.class, () -> new ClassFilter(base, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClassFilter(base, 10));
        assertTrue(e.getMessage().contains("class 10 does not exist"), e.getMessage());
    }

    @Test
    void fewShotPerClassIsDeterministicAndBalanced() {
        Dataset base = MemoryDataset.cyclic(200, 4);
        Subset a = FewShot.perClass(base, 5, 42);
        Subset b = FewShot.perClass(base, 5, 42);
        Subset c = FewShot.perClass(base, 5, 43);
        assertArrayEquals(baseIndices(a), baseIndices(b));
        assertFalse(Arrays.equals(baseIndices(a), baseIndices(c)), "another seed, another draw");
        int[] counts = new int[4];
        for (int i = 0; i < a.size(); i++) {
            counts[a.label(i)]++;
            assertTrue(i == 0 || a.baseIndex(i) > a.baseIndex(i - 1), "in base order, no repeats");
        }
        assertArrayEquals(new int[] {5, 5, 5, 5}, counts);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FewShot.perClass(base, 51, 0));
        assertTrue(e.getMessage().contains("class 0 ('class0') has 50 examples, 51 asked"), e.getMessage());
    }

    @Test
    void fewShotTotalSpreadsTheRemainderBySeed() {
        Dataset base = MemoryDataset.cyclic(500, 5);
        Subset s = FewShot.total(base, 13, 7);
        int[] counts = new int[5];
        for (int i = 0; i < s.size(); i++) {
            counts[s.label(i)]++;
        }
        assertEquals(13, s.size());
        assertEquals(13, Arrays.stream(counts).sum());
        assertTrue(Arrays.stream(counts).allMatch(n -> n == 2 || n == 3), Arrays.toString(counts));
        assertEquals(3, Arrays.stream(counts).filter(n -> n == 3).count());
        assertArrayEquals(baseIndices(s), baseIndices(FewShot.total(base, 13, 7)));
        Subset thousand = FewShot.total(base, 500, 1);
        assertEquals(500, new HashSet<>(Arrays.stream(baseIndices(thousand)).boxed().toList()).size());
    }

    @Test
    void vtabDrawIsDisjointDeterministicAndComplete() {
        Dataset pool = MemoryDataset.cyclic(1500, 10);
        Vtab1k.Split s = Vtab1k.draw(pool, 0);
        assertEquals(800, s.train().size());
        assertEquals(200, s.val().size());
        assertEquals(1000, s.trainval().size());
        Set<Integer> train = new HashSet<>(Arrays.stream(baseIndices((Subset) s.train())).boxed().toList());
        Set<Integer> val = new HashSet<>(Arrays.stream(baseIndices((Subset) s.val())).boxed().toList());
        Set<Integer> both = new HashSet<>(Arrays.stream(baseIndices((Subset) s.trainval())).boxed().toList());
        assertEquals(800, train.size());
        assertTrue(val.stream().noneMatch(train::contains), "train and val are disjoint");
        Set<Integer> union = new HashSet<>(train);
        union.addAll(val);
        assertEquals(union, both);
        assertArrayEquals(baseIndices((Subset) s.val()), baseIndices((Subset) Vtab1k.draw(pool, 0).val()));
        assertNotEquals(Arrays.toString(baseIndices((Subset) s.val())), Arrays.toString(baseIndices((Subset) Vtab1k.draw(pool, 1).val())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vtab1k.draw(MemoryDataset.cyclic(999, 3), 0));
        assertTrue(e.getMessage().contains("999 examples, fewer than the 800 + 200"), e.getMessage());
    }

    @Test
    void concatNeedsTheSameClasses() throws IOException {
        Concat c = new Concat(List.of(MemoryDataset.cyclic(3, 2), MemoryDataset.cyclic(4, 2)));
        assertEquals(7, c.size());
        assertEquals(1, c.label(4));
        assertEquals("memory#1", c.get(4).origin());
        assertThrows(IllegalArgumentException.class, () -> new Concat(List.of(MemoryDataset.cyclic(3, 2), MemoryDataset.cyclic(3, 3))));
    }
}
