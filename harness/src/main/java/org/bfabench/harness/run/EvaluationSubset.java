package org.bfabench.harness.run;

import java.util.Arrays;
import org.bfabench.spi.Batch;
import org.bfabench.spi.ImageSplit;

/**
 * The images an attack's accuracy is measured on after every flip: a class-balanced subset of the test
 * split. The first N test images are not balanced (Fashion-MNIST's first 500 hold 13% of class 2), and a
 * network that collapses onto an over-represented class then stays above the random-guess threshold
 * forever — a censored result that says more about the subset than about the defense.
 */
final class EvaluationSubset {
    private EvaluationSubset() {
    }

    /**
     * {@code size} images, ⌊size/classes⌋ of each class (the first {@code size mod classes} classes get one
     * more), taken in test-split order; a class with too few images is topped up from the others, again
     * in order. {@code size} at or above the split's size gives the whole split.
     */
    static Batch stratified(ImageSplit test, int size, int classes) {
        int n = test.size();
        if (size >= n) {
            return test.all();
        }
        int[] quota = new int[classes];
        for (int c = 0; c < classes; c++) {
            quota[c] = size / classes + (c < size % classes ? 1 : 0);
        }
        boolean[] taken = new boolean[n];
        int count = 0;
        for (int i = 0; i < n && count < size; i++) {
            int label = test.label(i);
            if (label >= 0 && label < classes && quota[label] > 0) {
                quota[label]--;
                taken[i] = true;
                count++;
            }
        }
        for (int i = 0; i < n && count < size; i++) {
            if (!taken[i]) {
                taken[i] = true;
                count++;
            }
        }
        int[] indices = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (taken[i]) {
                indices[k++] = i;
            }
        }
        return test.batch(Arrays.copyOf(indices, k));
    }
}
