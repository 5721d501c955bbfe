package org.bfabench.harness.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bfabench.spi.Batch;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

class EvaluationSubsetTest {
    private static ImageSplit split(int... labels) {
        float[] pixels = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            pixels[i] = i;      // the pixel remembers the image's index
        }
        return new ImageSplit(new Shape(1, 1, 1), pixels, labels);
    }

    @Test
    void takesAnEqualShareOfEveryClassInSplitOrder() {
        ImageSplit test = split(0, 0, 0, 0, 1, 2, 1, 2, 0, 1, 2);
        Batch b = EvaluationSubset.stratified(test, 6, 3);
        assertArrayEquals(new int[] {0, 0, 1, 2, 1, 2}, b.labels());
        assertArrayEquals(new float[] {0, 1, 4, 5, 6, 7}, b.images());
    }

    @Test
    void remainderGoesToTheFirstClassesAndShortClassesAreToppedUpInOrder() {
        ImageSplit test = split(0, 0, 0, 0, 0, 1, 2, 2, 2);
        Batch b = EvaluationSubset.stratified(test, 7, 3);
        // quotas 3/2/2; class 1 has one image, so one more image is taken in split order (index 3)
        assertArrayEquals(new float[] {0, 1, 2, 3, 5, 6, 7}, b.images());
        assertEquals(7, b.size());
    }

    @Test
    void aSizeAtLeastTheSplitGivesTheWholeSplit() {
        ImageSplit test = split(2, 1, 0);
        assertArrayEquals(new int[] {2, 1, 0}, EvaluationSubset.stratified(test, 3, 3).labels());
        assertArrayEquals(new int[] {2, 1, 0}, EvaluationSubset.stratified(test, 10, 3).labels());
    }
}
