package org.bfabench.attacks.pbs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void keepsTheBestScoresBestFirstWithTiesToTheSmallerKeyLikeAFullSort() {
        Random r = new Random(3);
        TopK top = new TopK();
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(60);
            int capacity = 1 + r.nextInt(20);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = r.nextInt(8); // many ties on purpose
            }
            top.reset(capacity);
            for (int i = 0; i < n; i++) {
                top.offer(scores[i], i);
            }
            long[] out = new long[capacity];
            int m = top.drainBestFirst(out);
            long[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                    .limit(capacity).mapToLong(i -> i).toArray();
            assertEquals(expected.length, m);
            assertArrayEquals(expected, Arrays.copyOf(out, m), "trial " + trial);
            assertEquals(0, top.size());
        }
    }
}
