package org.bfabench.nn.surface;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.memory.TwosComplementMemory;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.Shape;
import org.bfabench.spi.WeightSnapshot;
import org.junit.jupiter.api.Test;

class NetworkSurfaceTest {
    private static final Shape SHAPE = new Shape(2, 8, 8);

    private static NetworkSurface surface(Network net, Batch b) {
        TestNets.warmBatchNorm(net, b);
        NetworkSurface s = new NetworkSurface(net);
        // float-path (quantized) nets must exercise the channels-last steps of their fused program
        assertTrue(!s.fused().floatPathOnly() || s.fused().channelsLastSteps() > 0, "channels-last steps");
        return s;
    }

    private static double fullLoss(Network net, Batch b) {
        Tensor logits = net.logits(net.forward(net.input(b.images().clone(), b.size()), false));
        return SoftmaxCrossEntropy.loss(logits, b.labels());
    }

    private static void incrementalMatchesFullForward(Network net, NetworkSurface s, Batch b) {
        Random r = new Random(3);
        try (BatchEvaluator e = s.evaluator(b)) {
            assertEquals(fullLoss(net, b), e.loss(), 1e-5);
            List<AttackableLayer> layers = s.layers();
            for (int round = 0; round < 2; round++) {
                for (int l = 0; l < layers.size(); l++) {
                    BitFlip f = new BitFlip(l, r.nextInt(layers.get(l).weightCount()), r.nextInt(layers.get(l).bits()));
                    BitFlip g = new BitFlip(l, r.nextInt(layers.get(l).weightCount()), r.nextInt(layers.get(l).bits()));
                    double before = e.loss();
                    double tentative = e.lossWith(List.of(f, g));
                    assertEquals(before, e.loss(), 0.0, "lossWith must leave the surface unchanged");
                    s.flip(f);
                    s.flip(g);
                    double full = fullLoss(net, b);
                    assertEquals(full, e.loss(), 1e-5, "incremental loss after flips in layer " + l);
                    assertEquals(full, tentative, 1e-5, "tentative loss of flips in layer " + l);
                }
            }
            assertArrayEquals(SoftmaxCrossEntropy.argmax(net.logits(net.forward(net.input(b.images().clone(), b.size()),
                    false))), e.predictions());
        }
    }

    @Test
    void incrementalLossEqualsFullForwardAfterRandomFlipsInEveryQuantizedLayer() {
        Batch b = TestNets.batch(SHAPE, 16, 1);
        Network net = TestNets.describe(TestNets.quantized(SHAPE, 8, 11));
        NetworkSurface s = surface(net, b);
        assertEquals(5, s.layers().size());
        assertEquals(List.of("conv0", "conv1", "conv2", "fc1", "fc"), s.layers().stream().map(AttackableLayer::name).toList());
        incrementalMatchesFullForward(net, s, b);
    }

    @Test
    void incrementalLossEqualsFullForwardAfterRandomFlipsInEveryBnnLayer() {
        Batch b = TestNets.batch(SHAPE, 16, 2);
        Network net = TestNets.describe(TestNets.bnn(SHAPE, 12));
        NetworkSurface s = surface(net, b);
        assertTrue(s.layers().stream().allMatch(l -> l.bits() == 1));
        incrementalMatchesFullForward(net, s, b);
    }

    @Test
    void xnorEvaluationOfABnnIsBitIdenticalToTheFloatPath() {
        Batch b = TestNets.batch(SHAPE, 9, 4);
        Network net = TestNets.describe(TestNets.bnn(SHAPE, 13));
        NetworkSurface s = surface(net, b);
        Tensor[] fresh = new Tensor[net.size()];
        fresh[0] = net.input(b.images().clone(), b.size());
        Tensor[] xnor = s.forwardFrom(fresh, 1);
        Tensor[] flt = net.forward(net.input(b.images().clone(), b.size()), false);
        for (int i = 0; i < net.size(); i++) {
            assertArrayEquals(flt[i].data(), xnor[i].data(), 0f, "node " + net.nodes().get(i).name());
        }
    }

    @Test
    void closingTheSurfaceFreesTheReusableConvArraysAndALaterEvaluationStillMatchesAFullForward() {
        Batch b = TestNets.batch(SHAPE, 8, 3);
        Network net = TestNets.describe(TestNets.quantized(SHAPE, 8, 17));
        TestNets.warmBatchNorm(net, b);
        NetworkSurface s = new NetworkSurface(net);
        double before;
        try (BatchEvaluator e = s.evaluator(b)) {
            before = e.loss();
        }
        FusedProgram used = s.fused();
        assertTrue(used.idleBufferBytes() > 0, "a float-path program keeps its conv arrays for reuse");
        s.close();
        assertEquals(0, used.idleBufferBytes());
        assertNotSame(used, s.fused());
        try (BatchEvaluator e = s.evaluator(b)) {
            assertEquals(before, e.loss(), 0.0);
        }
    }

    @Test
    void aFlipChangesExactlyOneStoredBitAndRestoreUndoesIt() {
        Batch b = TestNets.batch(SHAPE, 4, 5);
        for (Network net : List.of(TestNets.describe(TestNets.quantized(SHAPE, 4, 1)), TestNets.describe(TestNets.bnn(SHAPE, 2)))) {
            NetworkSurface s = surface(net, b);
            WeightSnapshot clean = s.snapshot();
            List<WeightedLayer> wl = net.weightedLayers();
            long[][] before = new long[wl.size()][];
            for (int l = 0; l < wl.size(); l++) {
                before[l] = wl.get(l).weights().memory().orElseThrow().snapshot();
            }
            int bits = s.layers().get(2).bits();
            int old = s.code(2, 7);
            s.flip(new BitFlip(2, 7, bits - 1));
            assertNotEquals(old, s.code(2, 7));
            int changed = 0;
            for (int l = 0; l < wl.size(); l++) {
                long[] after = wl.get(l).weights().memory().orElseThrow().snapshot();
                for (int i = 0; i < after.length; i++) {
                    changed += Long.bitCount((after[i] ^ before[l][i]) & (bits == 1 ? -1L : (1L << bits) - 1));
                }
            }
            assertEquals(1, changed);
            s.restore(clean);
            assertEquals(old, s.code(2, 7));
        }
    }

    @Test
    void gradientWithRespectToCodesMatchesFiniteDifferences() {
        // 12-bit codes: a step of ±4 codes is a small weight change, so central differences are accurate
        Batch b = TestNets.batch(SHAPE, 8, 6);
        Network net = TestNets.describe(TestNets.quantized(SHAPE, 12, 21));
        NetworkSurface s = surface(net, b);
        LossGradient lg;
        try (BatchEvaluator e = s.evaluator(b)) {
            lg = e.lossAndGradient();
            assertEquals(fullLoss(net, b), lg.loss(), 1e-6);
        }
        List<WeightedLayer> wl = net.weightedLayers();
        int checked = 0;
        for (int l = 0; l < wl.size(); l++) {
            float[] g = lg.gradients()[l];
            TwosComplementMemory m = (TwosComplementMemory) wl.get(l).weights().memory().orElseThrow();
            List<Integer> top = new ArrayList<>();
            for (int i = 0; i < g.length; i++) {
                if (Math.abs(m.code(i)) < m.max() - 4) {
                    top.add(i);
                }
            }
            top.sort((p, q) -> Float.compare(Math.abs(g[q]), Math.abs(g[p])));
            for (int i : top.subList(0, 3)) {
                int c = m.code(i);
                m.set(i, c + 4);
                wl.get(l).weights().reload();
                double plus = fullLoss(net, b);
                m.set(i, c - 4);
                wl.get(l).weights().reload();
                double minus = fullLoss(net, b);
                m.set(i, c);
                wl.get(l).weights().reload();
                double numeric = (plus - minus) / 8;
                assertEquals(numeric, g[i], 0.05 * Math.abs(numeric) + 1e-6, "layer " + l + " weight " + i);
                checked++;
            }
        }
        assertEquals(15, checked);
    }

    @Test
    void largeBatchesAreEvaluatedInChunksWithTheSameResult() {
        Batch b = TestNets.batch(SHAPE, IncrementalEvaluator.CACHE_LIMIT + 77, 7);
        Network net = TestNets.describe(TestNets.quantized(SHAPE, 8, 31));
        NetworkSurface s = surface(net, b.slice(0, 64));
        try (BatchEvaluator e = s.evaluator(b)) {
            assertEquals(fullLoss(net, b), e.loss(), 1e-5);
            BitFlip f = new BitFlip(0, 3, 7);
            double tentative = e.lossWith(List.of(f));
            s.flip(f);
            assertEquals(fullLoss(net, b), tentative, 1e-5);
        }
    }

    /** Committed flips in every layer, each followed by the evaluator's loss, predictions and a tentative loss. */
    private static void committedFlipsMatchFullForward(Network net, NetworkSurface s, Batch b, BatchEvaluator e,
            boolean gradients) {
        Random r = new Random(17);
        List<AttackableLayer> layers = s.layers();
        for (int round = 0; round < 2; round++) {
            for (int l = 0; l < layers.size(); l++) {
                if (gradients) {
                    assertEquals(fullLoss(net, b), e.lossAndGradient().loss(), 1e-5, "gradient pass before layer " + l);
                }
                BitFlip f = new BitFlip(l, r.nextInt(layers.get(l).weightCount()), r.nextInt(layers.get(l).bits()));
                s.flip(f);
                double full = fullLoss(net, b);
                assertEquals(full, e.loss(), 1e-5, "cached loss after a flip in layer " + l);
                assertArrayEquals(SoftmaxCrossEntropy.argmax(net.logits(net.forward(net.input(b.images().clone(),
                        b.size()), false))), e.predictions(), "predictions after a flip in layer " + l);
                int m = (l + 1) % layers.size();
                BitFlip g = new BitFlip(m, r.nextInt(layers.get(m).weightCount()), r.nextInt(layers.get(m).bits()));
                double tentative = e.lossWith(List.of(g));
                s.flip(g);
                assertEquals(fullLoss(net, b), tentative, 1e-5, "tentative loss of a flip in layer " + m);
                s.flip(g);
            }
        }
    }

    @Test
    void aBatchWhoseActivationsExceedTheBoundKeepsItsLiveValuesAndMatchesAFullForward() {
        Batch b = TestNets.batch(SHAPE, 40, 8);
        for (Network net : List.of(TestNets.describe(TestNets.quantized(SHAPE, 8, 41)),
                TestNets.describe(TestNets.bnn(SHAPE, 42)))) {
            NetworkSurface s = surface(net, b);
            long all = LiveValues.activationBytesPerImage(net);
            long live = LiveValues.liveBytesPerImage(net, s.fused());
            assertTrue(live < all / 2, "live values " + live + " B/image should be well under all " + all);
            // room for every live value of the batch but for the activations of only 16 images at a time
            try (IncrementalEvaluator e = new IncrementalEvaluator(s, b, Math.max(live * b.size(), all * 16))) {
                assertTrue(e.cachesValues());
                committedFlipsMatchFullForward(net, s, b, e, true);
            }
        }
    }

    private static int[] fullPredictions(Network net, Batch b) {
        return SoftmaxCrossEntropy.argmax(net.logits(net.forward(net.input(b.images().clone(), b.size()), false)));
    }

    private static BitFlip randomFlip(Random r, List<AttackableLayer> layers, int l) {
        return new BitFlip(l, r.nextInt(layers.get(l).weightCount()), r.nextInt(layers.get(l).bits()));
    }

    /** {@code e.lossWith(flips)} against a full forward with the flips committed; leaves the surface unchanged. */
    private static void tentativeMatchesFullForward(Network net, NetworkSurface s, Batch b, BatchEvaluator e,
            List<BitFlip> flips) {
        double tentative = e.lossWith(flips);
        flips.forEach(s::flip);
        double full = fullLoss(net, b);
        flips.forEach(s::flip);
        assertEquals(full, tentative, 1e-5, "tentative loss of " + flips);
    }

    @Test
    void lossesAndTentativeLossesRightAfterAGradientPassReuseItsActivationsAndMatchAFullForward() {
        // The quantized net runs on the float path only, so right after a gradient pass (nothing committed in
        // between) loss() takes the gradient's activations as its live values, a tentative flip in one layer
        // patches that layer's output, and one in two layers re-runs the tail from those shared values.
        Batch b = TestNets.batch(SHAPE, 12, 9);
        Network net = TestNets.describe(TestNets.quantized(SHAPE, 8, 43));
        NetworkSurface s = surface(net, b);
        assertTrue(s.fused().floatPathOnly());
        Random r = new Random(17);
        List<AttackableLayer> layers = s.layers();
        try (IncrementalEvaluator e = (IncrementalEvaluator) s.evaluator(b)) {
            assertTrue(e.cachesValues());
            for (int round = 0; round < 2; round++) {
                for (int l = 0; l < layers.size(); l++) {
                    int m = (l + 1) % layers.size();
                    double full = fullLoss(net, b);
                    assertEquals(full, e.lossAndGradient().loss(), 1e-5, "gradient pass before layer " + l);
                    // the live values are stale here (a flip was committed after the last loss), so this shares
                    assertEquals(full, e.loss(), 1e-5, "loss right after the gradient pass, layer " + l);
                    assertArrayEquals(fullPredictions(net, b), e.predictions(), "predictions, layer " + l);
                    BitFlip f = randomFlip(r, layers, l);
                    int patched = e.patchedLosses();
                    tentativeMatchesFullForward(net, s, b, e, List.of(f));
                    assertEquals(patched + 1, e.patchedLosses(), "a flip in layer " + l + " alone is patched");
                    tentativeMatchesFullForward(net, s, b, e, List.of(f, randomFlip(r, layers, m)));
                    assertEquals(patched + 1, e.patchedLosses(), "flips in layers " + l + " and " + m + " re-run");
                    s.flip(f);
                    // the gradient's activations are stale now and must not be shared
                    assertEquals(fullLoss(net, b), e.loss(), 1e-5, "loss after committing a flip in layer " + l);
                    // leaves the live values stale for the next gradient pass
                    s.flip(randomFlip(r, layers, m));
                }
            }
        }
    }

    /**
     * Tentative losses right after a gradient pass patch the flipped layer's output: two weights (one in the
     * last output channel, so a per-channel scale other than channel 0's is used), and for multi-bit codes
     * one weight flipped in two bits (its change is the sum of both).
     */
    private static void patchedTentativeLossesMatchAFullForward(Network net, Batch b, long seed) {
        NetworkSurface s = surface(net, b);
        assertTrue(s.fused().floatPathOnly(), "the patch runs on the float path only");
        Random r = new Random(seed);
        List<AttackableLayer> layers = s.layers();
        try (IncrementalEvaluator e = (IncrementalEvaluator) s.evaluator(b)) {
            for (int l = 0; l < layers.size(); l++) {
                int count = layers.get(l).weightCount();
                int bits = layers.get(l).bits();
                int fanIn = s.weighted(l).fanIn();
                int i = r.nextInt(count - fanIn);
                int last = count - fanIn + r.nextInt(fanIn);
                List<List<BitFlip>> cases = new ArrayList<>();
                cases.add(List.of(new BitFlip(l, i, bits - 1), new BitFlip(l, last, r.nextInt(bits))));
                if (bits > 1) {
                    cases.add(List.of(new BitFlip(l, last, 0), new BitFlip(l, last, bits - 1)));
                }
                for (List<BitFlip> flips : cases) {
                    e.lossAndGradient();
                    int patched = e.patchedLosses();
                    double tentative = e.lossWith(flips);
                    assertEquals(patched + 1, e.patchedLosses(), "layer " + l + " should be patched, not recomputed");
                    flips.forEach(s::flip);
                    assertEquals(fullLoss(net, b), tentative, 1e-5, "tentative loss of " + flips);
                    assertEquals(fullLoss(net, b), e.loss(), 1e-5, "loss after committing " + flips);
                }
            }
        }
    }

    @Test
    void tentativeLossesRightAfterAGradientPassPatchTheFlippedLayerAndMatchAFullForward() {
        // a non-square input: the patch must not mix up a conv input's height and width
        Shape shape = new Shape(1, 7, 5);
        patchedTentativeLossesMatchAFullForward(TestNets.describe(TestNets.quantized(shape, 8, 44)),
                TestNets.batch(shape, 12, 10), 19);
    }

    @Test
    void patchedTentativeLossesOfAFloatPathBnnUseEachOutputChannelsOwnScale() {
        // complete-BNN weights (one α per output channel of every conv and the hidden linear layer) with
        // unbinarized inputs, so every layer stays on the float path; a non-square input
        Shape shape = new Shape(2, 8, 6);
        Network net = TestNets.describe(TestNets.floatPathBnn(shape, 45));
        for (WeightedLayer wl : net.weightedLayers().subList(0, 4)) {
            float[] alpha = wl.weights().scale(false);
            assertEquals(wl.outChannels(), alpha.length, wl.name() + " has one scale per output channel");
            assertNotEquals(alpha[0], alpha[alpha.length - 1], wl.name() + "'s first and last scales differ");
        }
        patchedTentativeLossesMatchAFullForward(net, TestNets.batch(shape, 12, 11), 23);
    }
}
