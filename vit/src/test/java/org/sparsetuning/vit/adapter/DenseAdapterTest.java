package org.sparsetuning.vit.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.random.Generator;

class DenseAdapterTest {
    /** Layer N has down_x, down_prev1 if N > 1, down_prev3 if N > 3 (SPEC A.3), for ViT-B's 12 layers. */
    static long countForVitB(int bottleneck) {
        long n = 0;
        for (int i = 0; i < 12; i++) {
            int idx = i;
            List<Integer> offsets = List.of(1, 3).stream().filter(j -> idx - j >= 0).toList();
            n += new DenseAdapter(768, bottleneck, offsets, new Generator(i)).parameterCount();
        }
        return n;
    }

    @Test
    void parameterCountsOfThePaper() {
        assertEquals(1_091_584, countForVitB(32));
        assertEquals(279_808, countForVitB(8));
    }

    @Test
    void namesFollowTheInterchangeContract() {
        DenseAdapter da = new DenseAdapter(24, 8, List.of(1, 3), new Generator(0));
        assertEquals(List.of("down_x.weight", "down_x.bias", "down_prev1.weight", "down_prev1.bias",
                "down_prev3.weight", "down_prev3.bias", "up.weight", "up.bias"), List.copyOf(da.namedParameters().keySet()));
        // Training init: the up-projection starts at zero, so the adapter adds nothing at step 0.
        assertEquals(0.0, da.up.weight.data().abs().sum().item());
    }
}
