package org.bfabench.attacks.pbs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.bfabench.attacks.toy.RecordingSurface;
import org.bfabench.attacks.toy.ToyMlpSurface;
import org.bfabench.attacks.toy.ToyWorld;
import org.bfabench.attacks.toy.TraceReplay;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.FlipEvent;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** PBS against real quantization-aware-trained toy models (8-bit and binary). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressiveBitSearchTest {
    private final ToyWorld world = new ToyWorld();
    private final ProgressiveBitSearch pbs = new ProgressiveBitSearch();

    private record Run(ToyMlpSurface clean, ToyMlpSurface attacked, RecordingSurface recorded, AttackTrace trace) {
        /** The attack evaluator is the last one the run creates. */
        Batch attackBatch() {
            return recorded.evaluatorBatches.get(recorded.evaluatorBatches.size() - 1);
        }
    }

    private Run run(ToyMlpSurface model, int budget, double stopAccuracy, long seed, Map<String, ?> options) {
        ToyMlpSurface attacked = model.copy();
        RecordingSurface recorded = new RecordingSurface(attacked);
        AttackTrace trace = pbs.run(world.context(recorded, budget, stopAccuracy, seed, options));
        assertEquals(0, recorded.openEvaluators, "every evaluator is closed");
        return new Run(model, attacked, recorded, trace);
    }

    @Test
    void everyCommittedFlipRaisesTheAttackBatchLossToFirstOrderAndAboveTheIterationsStartingLoss() {
        for (Run r : List.of(run(world.eightBit, 60, 0.11, 1, Map.of()), run(world.binary, 60, 0.11, 1, Map.of()),
                run(world.eightBit, 60, 0.11, 2, Map.of("k_top", "all")))) {
            assertFalse(r.trace().events().isEmpty());
            for (FlipEvent e : r.trace().events()) {
                LossGradient lg = r.recorded().gradients.get(e.iteration() - 1);
                float g = lg.gradients()[e.layer()][e.index()];
                assertTrue(g * (e.codeAfter() - e.codeBefore()) > 0, "first-order gain of " + e + " with g " + g);
                assertTrue(e.loss() > lg.loss(), "loss after iteration " + e.iteration() + " " + e.loss()
                        + " must exceed its starting loss " + lg.loss());
            }
        }
    }

    @Test
    void eachIterationGrowsNUntilSomeLayerBeatsTheStartingLossAndCommitsTheArgmaxLayer() {
        for (Run r : List.of(run(world.eightBit, 40, 0.11, 11, Map.of()), run(world.binary, 40, 0.11, 11, Map.of()))) {
            List<Object> log = r.recorded().log;
            int k = 0;
            for (int iteration = 1; iteration <= r.trace().events().get(r.trace().flips() - 1).iteration(); iteration++) {
                final int it = iteration;
                List<FlipEvent> committed = r.trace().events().stream().filter(e -> e.iteration() == it).toList();
                double l0 = ((LossGradient) log.get(k++)).loss();
                List<RecordingSurface.LossWithCall> calls = new ArrayList<>();
                while (k < log.size() && log.get(k) instanceof RecordingSurface.LossWithCall c) {
                    calls.add(c);
                    k++;
                }
                int n = committed.size();
                for (RecordingSurface.LossWithCall c : calls) {
                    assertTrue(c.flips().size() <= n);
                    assertEquals(1, c.flips().stream().map(BitFlip::layer).distinct().count(), "one layer per trial");
                    if (c.flips().size() < n) {
                        assertTrue(c.loss() <= l0, "a smaller set already beat L0 at iteration " + it);
                    }
                }
                RecordingSurface.LossWithCall best = calls.stream().filter(c -> c.flips().size() == n)
                        .max(Comparator.comparingDouble(RecordingSurface.LossWithCall::loss)).orElseThrow();
                assertTrue(best.loss() > l0);
                assertEquals(best.loss(), committed.get(0).loss(), "iteration " + it);
                assertEquals(best.flips(), committed.stream().map(e -> new BitFlip(e.layer(), e.index(), e.bit())).toList());
            }
        }
    }

    @Test
    void theTraceMatchesAReplayOfItsFlipsOnTheCleanModel() {
        for (Run r : List.of(run(world.eightBit, 40, 0.11, 3, Map.of()), run(world.binary, 40, 0.11, 3, Map.of()))) {
            TraceReplay.verify(r.clean(), r.attacked(), r.trace(), r.attackBatch(), world.evaluation);
        }
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnotherAttackBatch() {
        Run a = run(world.binary, 30, 0.11, 4, Map.of());
        Run b = run(world.binary, 30, 0.11, 4, Map.of());
        Run c = run(world.binary, 30, 0.11, 5, Map.of());
        assertEquals(a.trace().events(), b.trace().events());
        assertEquals(a.trace().stopReason(), b.trace().stopReason());
        assertEquals(a.trace().detail(), b.trace().detail());
        assertEquals(a.trace().finalAccuracy(), b.trace().finalAccuracy());
        assertEquals(a.attackBatch(), b.attackBatch());
        assertNotEquals(a.attackBatch(), c.attackBatch());
    }

    @Test
    void theAttackBatchHoldsBatchSizeDistinctPoolImagesLabelledByTheCleanModelsPredictions() {
        Run r = run(world.eightBit, 1, 0.0, 6, Map.of("batch_size", 64));
        Batch batch = r.attackBatch();
        assertEquals(64, batch.size());
        int[] pool = poolIndices(batch);
        assertEquals(64, IntStream.of(pool).distinct().count(), "images are drawn without replacement");
        try (BatchEvaluator clean = world.eightBit.evaluator(batch)) {
            assertArrayEquals(clean.predictions(), batch.labels());
        }
        Run t = run(world.eightBit, 1, 0.0, 6, Map.of("batch_size", 64, "labels", "true"));
        int[] truePool = poolIndices(t.attackBatch());
        assertArrayEquals(pool, truePool, "the label choice does not change which images are drawn");
        assertArrayEquals(IntStream.of(truePool).map(world.train::label).toArray(), t.attackBatch().labels());
        assertTrue(IntStream.range(0, 64).anyMatch(k -> batch.labels()[k] != world.train.label(pool[k])),
                "predicted labels differ from true labels somewhere (the toy model is not perfect)");
    }

    @Test
    void aBinaryModelIsAttackedToTheThresholdEvenWithKTopOne() {
        AttackTrace t = run(world.binary, 300, 0.11, 7, Map.of("k_top", 1)).trace();
        assertEquals(StopReason.THRESHOLD_REACHED, t.stopReason(), t.detail());
        assertTrue(t.finalAccuracy() <= 0.11);
        assertFalse(t.censored());
    }

    @Test
    void aDeadNetworkHasNoEligibleFlipAndTheRunSaysWhy() {
        int[][] codes = world.eightBit.codes();
        double[] deadBias = new double[ToyWorld.HIDDEN];
        java.util.Arrays.fill(deadBias, -1e6);
        ToyMlpSurface dead = new ToyMlpSurface(16, ToyWorld.HIDDEN, 10, new int[] {8, 8},
                new double[] {0.01, 0.01}, codes, deadBias, new double[] {0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        AttackTrace t = run(dead, 50, -1, 8, Map.of()).trace();
        assertEquals(StopReason.NO_ELIGIBLE_FLIP, t.stopReason());
        assertEquals(0, t.flips());
        assertTrue(t.detail().contains("no layer has an eligible bit"), t.detail());
        assertTrue(t.censored());
    }

    @Test
    void withKTopTenTheSearchStopsOnlyWhenNoTopTenWeightOfAnyLayerHasAnEligibleBit() {
        // measured: on this toy the 8-bit attack saturates its largest-gradient weights (codes at ±127/−128)
        // after about a hundred flips; the guard must fire then, and only then
        Run r = run(world.eightBit, 400, -1, 1, Map.of());
        assertEquals(StopReason.NO_ELIGIBLE_FLIP, r.trace().stopReason(), r.trace().detail());
        try (BatchEvaluator e = r.attacked().evaluator(r.attackBatch())) {
            LossGradient lg = e.lossAndGradient();
            for (int l = 0; l < 2; l++) {
                float[] g = lg.gradients()[l];
                List<Integer> top = IntStream.range(0, g.length).filter(i -> g[i] != 0).boxed()
                        .sorted(Comparator.<Integer>comparingDouble(i -> -Math.abs(g[i])).thenComparingInt(i -> i))
                        .limit(10).toList();
                for (int i : top) {
                    assertEquals(0, BitGradients.eligibleCount(r.attacked().code(l, i), 8, g[i]),
                            "layer " + l + " weight " + i + " still had an eligible bit");
                }
            }
        }
    }

    @Test
    void aSpentBudgetEndsTheRunCensoredWithExactlyTheBudgetOfFlips() {
        AttackTrace t = run(world.eightBit, 3, 0.0, 9, Map.of()).trace();
        assertEquals(StopReason.BUDGET_EXHAUSTED, t.stopReason());
        assertEquals(3, t.flips());
        assertTrue(t.censored());
        assertTrue(t.finalAccuracy() > 0.0);
    }

    @Test
    void aModelAlreadyAtTheThresholdIsNotFlipped() {
        Run r = run(world.eightBit, 10, 0.99, 10, Map.of());
        assertEquals(StopReason.THRESHOLD_REACHED, r.trace().stopReason());
        assertEquals(0, r.trace().flips());
        assertEquals(r.trace().cleanAccuracy(), r.trace().finalAccuracy());
        assertEquals(0, r.recorded().gradients.size());
    }

    @Test
    void aSurfaceWithoutGradientsIsRefusedWithABenchException() {
        RecordingSurface s = new RecordingSurface(world.eightBit.copy());
        s.gradientsAvailable = false;
        assertTrue(pbs.needsGradients());
        BenchException e = assertThrows(BenchException.class,
                () -> pbs.run(world.context(s, 10, 0.11, 1, Map.of())));
        assertTrue(e.getMessage().contains("needs gradients"), e.getMessage());
    }

    @Test
    void progressReportsCommittedFlipsOutOfTheBudgetWithTheCurrentAccuracy() {
        List<String> calls = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void start(String task, long total) {
                calls.add("start " + task + " " + total);
            }

            @Override
            public void step(long done, String message) {
                calls.add(done + " " + message);
            }
        };
        AttackTrace t = pbs.run(new AttackContext(world.eightBit.copy(), world.train, world.evaluation, 10, 5, 0.0, 1,
                Options.empty(), progress));
        assertEquals("start pbfa 5", calls.get(0));
        assertEquals(1 + t.flips(), calls.size());
        FlipEvent last = t.events().get(t.flips() - 1);
        assertEquals(String.format(java.util.Locale.ROOT, "%d iteration %d, accuracy %.2f%%", t.flips(), last.iteration(),
                100 * last.accuracy()), calls.get(calls.size() - 1));
    }

    private int[] poolIndices(Batch batch) {
        int d = batch.shape().size();
        float[] pool = new float[world.train.size() * d];
        world.train.pixels().get(pool);
        int[] out = new int[batch.size()];
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < batch.size(); k++) {
            out[k] = -1;
            for (int i = 0; i < world.train.size() && out[k] < 0; i++) {
                if (java.util.Arrays.equals(pool, i * d, i * d + d, batch.images(), k * d, k * d + d)) {
                    out[k] = i;
                }
            }
            assertTrue(out[k] >= 0, "batch image " + k + " comes from the pool");
            seen.add(out[k]);
        }
        return out;
    }
}
