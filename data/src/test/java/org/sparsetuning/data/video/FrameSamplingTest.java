package org.sparsetuning.data.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Seeds;

class FrameSamplingTest {
    @Test
    void centresAreTheMiddleOfEachSegment() {
        // 16 frames in 8 segments of 2: centre at 2i + 1.
        assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11, 13, 15}, FrameSampling.centres(8).indices(16, null));
        // 10 frames in 4 segments of 2.5: floor((i + 0.5) * 2.5) = 1, 3, 6, 8.
        assertArrayEquals(new int[] {1, 3, 6, 8}, FrameSampling.centres(4).indices(10, null));
    }

    @Test
    void temporalViewsSpreadOverEachSegment() {
        // 12 frames, 3 segments of 4, 2 views: u = 1/4 and 3/4 -> offsets 1 and 3 in each segment.
        assertArrayEquals(new int[] {1, 5, 9}, FrameSampling.view(3, 0, 2).indices(12, null));
        assertArrayEquals(new int[] {3, 7, 11}, FrameSampling.view(3, 1, 2).indices(12, null));
    }

    @Test
    void shortVideosRepeatFrames() {
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3}, FrameSampling.centres(8).indices(4, null));
        assertArrayEquals(new int[] {0, 0, 0}, FrameSampling.centres(3).indices(1, null));
        int[] random = FrameSampling.training(8).indices(3, Seeds.forFrames(1, 0, 0));
        for (int i = 0; i < 8; i++) {
            assertTrue(random[i] >= 0 && random[i] < 3);
        }
    }

    @Test
    void trainingDrawsOneFrameInEachSegmentFromTheExampleStream() {
        FrameSampling s = FrameSampling.training(4);
        int[] a = s.indices(40, Seeds.forFrames(7, 2, 5));
        for (int i = 0; i < 4; i++) {
            assertTrue(a[i] >= 10 * i && a[i] < 10 * (i + 1), Arrays.toString(a));
        }
        assertArrayEquals(a, s.indices(40, Seeds.forFrames(7, 2, 5)), "same (seed, epoch, index), same frames");
        boolean differs = false;
        for (int epoch = 3; epoch < 8 && !differs; epoch++) {
            differs = !Arrays.equals(a, s.indices(40, Seeds.forFrames(7, epoch, 5)));
        }
        assertTrue(differs, "other epochs draw other frames");
        assertNotEquals(Arrays.toString(a), Arrays.toString(s.indices(40, Seeds.forFrames(8, 2, 5))));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.centres(0));
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.view(8, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.training(8).indices(10, null));
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.centres(8).indices(0, null));
        assertEquals("8 frames, temporal view 2 of 3", FrameSampling.view(8, 1, 3).describe());
    }
}
