package org.bfabench.attacks.pbs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.bfabench.attacks.toy.ToyMlpSurface;
import org.bfabench.spi.BitFlip;
import org.junit.jupiter.api.Test;

/** The in-layer search on hand-built layers, and against a brute-force ranking of every candidate. */
class LayerRankingTest {

    /** fc0: 2×2 weights of {@code bits0} bits; fc1: 2×2 (or classes×2) weights of {@code bits1} bits. */
    private static ToyMlpSurface surface(int in, int hidden, int classes, int bits0, int bits1, int[] codes0,
            int[] codes1) {
        return new ToyMlpSurface(in, hidden, classes, new int[] {bits0, bits1}, new double[] {0.1, 0.1},
                new int[][] {codes0, codes1}, new double[hidden], new double[classes]);
    }

    private static List<BitFlip> top(LayerRanking ranking, int n) {
        List<BitFlip> out = new ArrayList<>();
        ranking.top(n, out);
        return out;
    }

    @Test
    void aSaturatedTopWeightLeavesTheLayerWithoutCandidatesAtKTopOne() {
        ToyMlpSurface s = surface(2, 2, 2, 8, 8, new int[] {127, 21, -1, 0}, new int[4]);
        LayerRanking ranking = new LayerRanking(s, 0, 1);
        ranking.prepare(new float[] {4, 3, 2, 1});
        assertEquals(0, ranking.eligible());
    }

    @Test
    void quantizedCandidatesAreRankedByBitGradientAcrossTheTopKWeights() {
        ToyMlpSurface s = surface(2, 2, 2, 8, 8, new int[] {127, 21, -1, 0}, new int[4]);
        LayerRanking ranking = new LayerRanking(s, 0, 3);
        ranking.prepare(new float[] {4, 3, 2, 1});
        // weight 2 (−1, g=2): sign bit, score 256; weight 1 (21, g=3): bits 6,5,3,1 → 192, 96, 24, 6
        assertEquals(5, ranking.eligible());
        assertEquals(List.of(new BitFlip(0, 2, 7), new BitFlip(0, 1, 6), new BitFlip(0, 1, 5), new BitFlip(0, 1, 3),
                new BitFlip(0, 1, 1)), top(ranking, 5));
    }

    @Test
    void kTopAllAlsoRanksTheSmallGradientWeights() {
        ToyMlpSurface s = surface(2, 2, 2, 8, 8, new int[] {127, 21, -1, 0}, new int[4]);
        LayerRanking ranking = new LayerRanking(s, 0, Integer.MAX_VALUE);
        ranking.prepare(new float[] {4, 3, 2, 1});
        // weight 3 (0, g=1) adds bits 6..0 with scores 64, 32, …
        assertEquals(12, ranking.eligible());
        assertEquals(List.of(new BitFlip(0, 2, 7), new BitFlip(0, 1, 6), new BitFlip(0, 1, 5), new BitFlip(0, 3, 6)),
                top(ranking, 4));
    }

    @Test
    void aBinaryLayerFindsTheEligibleWeightEvenWhenTheLargestGradientsAreAllIneligible() {
        ToyMlpSurface s = surface(2, 2, 2, 8, 1, new int[4], new int[] {1, 1, -1, -1});
        LayerRanking ranking = new LayerRanking(s, 1, 1);
        // g·w: 5, 4, 0.1 ≥ 0 (ineligible), −0.2 < 0 (eligible) although |g| = 0.2 is not in the top 1
        ranking.prepare(new float[] {5, 4, -0.1f, 0.2f});
        assertEquals(1, ranking.eligible());
        assertEquals(List.of(new BitFlip(1, 3, 0)), top(ranking, 1));
    }

    @Test
    void aCommittedBinaryFlipIsSeenByTheNextRanking() {
        ToyMlpSurface s = surface(2, 2, 2, 8, 1, new int[4], new int[] {1, 1, -1, -1});
        LayerRanking ranking = new LayerRanking(s, 1, 10);
        float[] g = {5, 4, -0.1f, 0.2f};
        ranking.prepare(g);
        BitFlip f = top(ranking, 1).get(0);
        s.flip(f);
        ranking.committed(f.index(), s.code(f.layer(), f.index()));
        ranking.prepare(g);
        assertEquals(0, ranking.eligible());
    }

    @Test
    void binaryRankingEqualsABruteForceSortOfAllEligibleWeightsBeyondTheInitialHeapSize() {
        Random r = new Random(17);
        for (int trial = 0; trial < 30; trial++) {
            int[] codes = new int[40];
            float[] g = new float[40];
            for (int i = 0; i < 40; i++) {
                codes[i] = r.nextBoolean() ? 1 : -1;
                g[i] = r.nextInt(5) == 0 ? 0 : (float) r.nextGaussian();
            }
            ToyMlpSurface s = surface(8, 5, 2, 1, 1, codes, new int[10]);
            List<BitFlip> expected = new ArrayList<>();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (g[i] * codes[i] < 0) {
                    order.add(i);
                }
            }
            order.sort(Comparator.<Integer>comparingDouble(i -> -Math.abs(g[i])).thenComparingInt(i -> i));
            order.forEach(i -> expected.add(new BitFlip(0, i, 0)));
            LayerRanking ranking = new LayerRanking(s, 0, 10);
            ranking.prepare(g);
            assertEquals(expected.size(), ranking.eligible());
            for (int n : new int[] {1, 9, expected.size()}) {
                if (n <= expected.size()) {
                    assertEquals(expected.subList(0, n), top(ranking, n), "trial " + trial + " n " + n);
                }
            }
        }
    }

    @Test
    void quantizedRankingEqualsABruteForceRankingOfEveryEligibleBitOfTheTopKWeights() {
        Random r = new Random(23);
        for (int bits : new int[] {2, 4, 8}) {
            for (int kTop : new int[] {1, 3, 10, Integer.MAX_VALUE}) {
                for (int trial = 0; trial < 10; trial++) {
                    int[] codes = new int[40];
                    float[] g = new float[40];
                    for (int i = 0; i < 40; i++) {
                        codes[i] = r.nextInt(1 << bits) - (1 << (bits - 1));
                        g[i] = r.nextInt(6) == 0 ? 0 : (float) r.nextGaussian();
                    }
                    ToyMlpSurface s = surface(8, 5, 2, bits, 8, codes, new int[10]);
                    List<BitFlip> expected = bruteForce(codes, g, bits, kTop);
                    LayerRanking ranking = new LayerRanking(s, 0, kTop);
                    ranking.prepare(g);
                    String where = bits + "-bit k_top " + kTop + " trial " + trial;
                    assertEquals(expected.size(), ranking.eligible(), where);
                    for (int n : new int[] {1, 2, 9, 17, expected.size()}) {
                        if (n <= expected.size()) {
                            assertEquals(expected.subList(0, n), top(ranking, n), where + " n " + n);
                        }
                    }
                }
            }
        }
    }

    private static List<BitFlip> bruteForce(int[] codes, float[] g, int bits, int kTop) {
        List<Integer> weights = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            if (g[i] != 0) {
                weights.add(i);
            }
        }
        weights.sort(Comparator.<Integer>comparingDouble(i -> -Math.abs(g[i])).thenComparingInt(i -> i));
        List<long[]> pairs = new ArrayList<>(); // {index, bit}
        for (int i : weights.stream().limit(kTop).collect(Collectors.toList())) {
            for (int bit = 0; bit < bits; bit++) {
                int after = ToyMlpSurface.flipBit(codes[i], bit, bits);
                if (g[i] * (after - codes[i]) > 0) {
                    pairs.add(new long[] {i, bit});
                }
            }
        }
        pairs.sort(Comparator.<long[]>comparingDouble(p -> -(Math.abs(g[(int) p[0]])
                * (float) Math.abs(BitGradients.bitWeight((int) p[1], bits)))).thenComparingLong(p -> p[0] * 16 + p[1]));
        return pairs.stream().map(p -> new BitFlip(0, (int) p[0], (int) p[1])).collect(Collectors.toList());
    }
}
