package org.bfabench.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** A dataset loaded once is shared by every cell and by untrusted plugins: nothing they get may write to it. */
class ImageSplitTest {
    private static ImageSplit split() {
        return new ImageSplit(new Shape(1, 1, 2), new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 1, 2});
    }

    @Test
    void mutatingABatchOrTheLabelsLeavesTheSplitUnchanged() {
        ImageSplit s = split();
        Batch b = s.batch(new int[] {2, 0});
        b.images()[0] = 99;
        b.labels()[0] = 7;
        s.all().images()[1] = 42;
        s.labels()[2] = 9;
        s.range(0, 1).images()[0] = -1;
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.all().images());
        assertArrayEquals(new int[] {0, 1, 2}, s.labels());
        assertEquals(2, s.label(2));
    }

    @Test
    void thePixelViewIsReadOnly() {
        assertThrows(ReadOnlyBufferException.class, () -> split().pixels().put(0, 5f));
    }

    @Test
    void aBatchCopiesTheImagesAtTheGivenIndicesInOrder() {
        Batch b = split().batch(new int[] {2, 0});
        assertArrayEquals(new float[] {5, 6, 1, 2}, b.images());
        assertArrayEquals(new int[] {2, 0}, b.labels());
    }
}
