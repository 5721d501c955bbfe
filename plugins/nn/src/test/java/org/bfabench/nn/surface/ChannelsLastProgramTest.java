package org.bfabench.nn.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Relu;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.FloatArrays;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

/**
 * A quantized network's fused program runs its image nodes channels-last; its values, losses, tentative
 * losses (patched and re-run) and predictions must equal the NCHW float path exactly — not to a
 * tolerance — on resnet20-, cnn-small- and vgg-shaped networks with odd, non-square inputs.
 */
class ChannelsLastProgramTest {
    /** conv-BN-relu, an identity block, a stride-2 block with an option-A shortcut, global pooling, classifier. */
    private static Network resnetLike(long seed) {
        GraphBuilder b = TestNets.quantized(new Shape(3, 9, 7), 8, seed);
        int x = conv(b, "conv0", b.input(), 6, 1, 1, true);
        int y = conv(b, "b1.conv1", x, 6, 1, 1, true);
        y = conv(b, "b1.conv2", y, 6, 1, 1, false);
        x = b.activation(b.add(y, x));
        y = conv(b, "b2.conv1", x, 10, 2, 1, true);
        y = conv(b, "b2.conv2", y, 10, 1, 1, false);
        x = b.activation(b.add(y, b.subsamplePad(x, 10, 2, "s2")));
        b.classifier("fc", b.flatten(b.globalAvgPool(x)), 5);
        return b.build();
    }

    /** conv-BN-relu-pool three times (two max-pools, then an average pool), classifier. */
    private static Network cnnLike(long seed) {
        GraphBuilder b = TestNets.quantized(new Shape(2, 12, 10), 8, seed);
        int x = b.input();
        for (int i = 0; i < 3; i++) {
            int c = conv(b, "conv" + i, x, 3 + 4 * i, 1, 1, true);
            x = i < 2 ? b.maxPool(c, 2, 2) : b.avgPool(c, 2, 2);
        }
        b.classifier("fc", b.flatten(x), 5);
        return b.build();
    }

    /** VGG-like: stride 2, an unpadded conv, a 3×3/2 overlapping pool, 70 channels, a hidden linear layer. */
    private static Network vggLike(long seed) {
        GraphBuilder b = TestNets.quantized(new Shape(3, 11, 13), 8, seed);
        int x = conv(b, "conv0", b.input(), 8, 1, 1, true);
        x = b.maxPool(conv(b, "conv1", x, 6, 1, 1, true), 3, 2);
        x = conv(b, "conv2", x, 70, 2, 1, true);
        x = conv(b, "conv3", x, 9, 1, 0, true);
        x = b.activation(b.batchNorm("bn4", b.linear("fc1", b.flatten(x), 12, false)));
        b.classifier("fc", x, 5);
        return b.build();
    }

    private static int conv(GraphBuilder b, String name, int in, int out, int stride, int pad, boolean act) {
        int y = b.batchNorm("bn" + name, b.conv(name, in, new ConvSpec(out, 3, stride, pad, name)));
        return act ? b.activation(y) : y;
    }

    /** Binary weights with per-channel scales and hardtanh on the float path: scaled conv outputs. */
    private static Network scaledLike(long seed) {
        return TestNets.describe(TestNets.floatPathBnn(new Shape(2, 10, 9), seed));
    }

    private static List<Network> nets(long seed) {
        return List.of(resnetLike(seed), cnnLike(seed + 1), vggLike(seed + 2), scaledLike(seed + 3));
    }

    private static Tensor input(Network net, Batch b) {
        return net.input(b.images().clone(), b.size());
    }

    private static NetworkSurface surface(Network net, Batch b) {
        TestNets.warmBatchNorm(net, b);
        NetworkSurface s = new NetworkSurface(net);
        assertTrue(s.fused().floatPathOnly());
        int convs = (int) net.weightedLayers().stream().filter(l -> l instanceof Conv2d).count();
        assertTrue(s.fused().channelsLastSteps() >= 2 * convs, "convs and batch norms run channels-last: "
                + s.fused().channelsLastSteps());
        return s;
    }

    private static Batch batch(Network net, int n, long seed) {
        int[] in = net.nodes().get(0).shape();
        return TestNets.batch(new Shape(in[0], in[1], in[2]), n, seed);
    }

    private static Tensor[] fullForward(Network net, Batch b) {
        return net.forward(input(net, b), false);
    }

    /** The evaluator's loss of one chunk-free batch: the mean loss times n over n, as it computes it. */
    private static double fullLoss(Network net, Batch b) {
        return SoftmaxCrossEntropy.loss(net.logits(fullForward(net, b)), b.labels()) * b.size() / b.size();
    }

    @Test
    void everyValueOfTheChannelsLastProgramEqualsTheFloatForwardAndLiveValuesAreCountedAsCached() {
        for (Network net : nets(1)) {
            Batch b = batch(net, 5, 2);
            NetworkSurface s = surface(net, b);
            FusedProgram program = s.fused();
            Tensor[] flt = fullForward(net, b);
            Object[] values = program.run(input(net, b));
            int channelsLast = 0;
            int absorbed = 0;
            for (int i = 1; i < net.size(); i++) {
                if (values[i] == null) { // a batch norm or add whose activation ran in its sweep
                    int reader = i + 1;
                    assertTrue(net.nodes().get(reader).inputs()[0] == i && (net.nodes().get(reader).layer() instanceof Relu || net.nodes().get(reader).layer() instanceof Hardtanh),
                            net.nodes().get(i).name() + " has no value but is not fused with its activation");
                    absorbed++;
                    continue;
                }
                channelsLast += values[i] instanceof NhwcTensor ? 1 : 0;
                assertArrayEquals(flt[i].data(), NhwcTensor.nchw(values[i]).data(), net.nodes().get(i).name());
                assertArrayEquals(flt[i].shape(), NhwcTensor.nchw(values[i]).shape(), net.nodes().get(i).name());
            }
            assertTrue(channelsLast >= program.channelsLastSteps() - 1, "image values are channels-last");
            assertTrue(absorbed >= net.weightedLayers().size() - 2, "batch norms fused with their relus: " + absorbed);
            assertInstanceOf(Tensor.class, values[net.size() - 1]);
            // the evaluator's cache bound counts float32 of the live nodes: exactly what a live run keeps
            Object[] fresh = new Object[net.size()];
            fresh[0] = input(net, b);
            Object[] live = program.runFrom(fresh, 1, program.live());
            long floats = 0;
            for (Object v : live) {
                floats += v == null ? 0 : v instanceof NhwcTensor t ? t.data().length : ((Tensor) v).size();
            }
            assertEquals(LiveValues.liveBytesPerImage(net, program) * b.size(), 4 * floats);
        }
    }

    /**
     * The tentative loss the evaluator's patched branch must give: the NCHW float path from the flipped
     * layer's patched output (ChannelPatch itself is exact only to rounding against a recomputed layer).
     */
    private static double patchedNchwLoss(Network net, NetworkSurface s, Batch b, List<BitFlip> flips) {
        int l = flips.get(0).layer();
        WeightedLayer wl = s.weighted(l);
        int node = s.nodeOfLayer(l);
        Tensor[] acts = fullForward(net, b);
        float[] before = ChannelPatch.codes(wl, flips);
        flips.forEach(s::toggle);
        try {
            ChannelPatch.Changes changes = ChannelPatch.changes(flips, before, ChannelPatch.codes(wl, flips));
            acts[node] = ChannelPatch.apply(wl, acts[net.nodes().get(node).inputs()[0]], acts[node], changes);
            Tensor[] tail = s.forwardFrom(acts, node + 1);
            return SoftmaxCrossEntropy.loss(net.logits(tail), b.labels()) * b.size() / b.size();
        } finally {
            for (int k = flips.size() - 1; k >= 0; k--) {
                s.toggle(flips.get(k));
            }
        }
    }

    private static BitFlip randomFlip(Random r, List<AttackableLayer> layers, int l) {
        return new BitFlip(l, r.nextInt(layers.get(l).weightCount()), r.nextInt(layers.get(l).bits()));
    }

    private static double committedLoss(Network net, NetworkSurface s, Batch b, List<BitFlip> flips) {
        flips.forEach(s::toggle);
        try {
            return fullLoss(net, b);
        } finally {
            for (int k = flips.size() - 1; k >= 0; k--) {
                s.toggle(flips.get(k));
            }
        }
    }

    @Test
    void lossesTentativeLossesAndPredictionsAfterFlipsInEveryLayerEqualTheFloatPathExactly() {
        for (Network net : nets(11)) {
            Batch b = batch(net, 16, 12);
            NetworkSurface s = surface(net, b);
            Random r = new Random(13);
            List<AttackableLayer> layers = s.layers();
            try (IncrementalEvaluator e = (IncrementalEvaluator) s.evaluator(b)) {
                assertTrue(e.cachesValues());
                for (int round = 0; round < 2; round++) {
                    for (int l = 0; l < layers.size(); l++) {
                        int m = (l + 1) % layers.size();
                        e.lossAndGradient();
                        // shares the gradient pass's NCHW activations
                        assertEquals(fullLoss(net, b), e.loss(), 0.0, "loss after the gradient pass, layer " + l);
                        List<BitFlip> one = List.of(randomFlip(r, layers, l));
                        int patched = e.patchedLosses();
                        double tentative = e.lossWith(one);
                        assertEquals(patched + 1, e.patchedLosses(), "a flip in layer " + l + " alone is patched");
                        assertEquals(patchedNchwLoss(net, s, b, one), tentative, 0.0, "patched tail, layer " + l);
                        // re-runs the tail from the shared NCHW values, channels-last
                        List<BitFlip> two = List.of(randomFlip(r, layers, l), randomFlip(r, layers, m));
                        assertEquals(committedLoss(net, s, b, two), e.lossWith(two), 0.0, "re-run, layers " + l + ", " + m);
                        s.flip(one.get(0));
                        // re-runs from the shared values, then caches channels-last values
                        assertEquals(fullLoss(net, b), e.loss(), 0.0, "loss after committing a flip in layer " + l);
                        assertArrayEquals(SoftmaxCrossEntropy.argmax(net.logits(fullForward(net, b))), e.predictions());
                        // from the cached channels-last values: the gradient's activations are stale now
                        List<BitFlip> next = List.of(randomFlip(r, layers, m));
                        assertEquals(committedLoss(net, s, b, next), e.lossWith(next), 0.0, "tentative, layer " + m);
                        s.flip(next.get(0));
                        assertEquals(fullLoss(net, b), e.loss(), 0.0, "loss after committing a flip in layer " + m);
                        assertEquals(patched + 1, e.patchedLosses());
                    }
                }
            }
        }
    }

    /**
     * A batch norm read by a relu and by an add, and an add read by a relu and by another add: neither may
     * take its activation into its sweep (its other reader needs the value before the activation).
     */
    @Test
    void aBatchNormOrAddWithASecondReaderKeepsItsValueAndEveryValueEqualsTheFloatForward() {
        GraphBuilder g = TestNets.quantized(new Shape(3, 9, 7), 8, 71);
        int x = conv(g, "conv0", g.input(), 6, 1, 1, true);
        int y = conv(g, "conv1", x, 6, 1, 1, false);
        // each activation is the last reader, the one a fusion would pick
        int sum = g.add(y, x);
        int r = g.activation(y);
        int other = g.add(sum, x);
        int u = g.add(other, g.activation(sum));
        g.classifier("fc", g.flatten(g.globalAvgPool(g.add(u, r))), 4);
        Network net = g.build();
        Batch b = batch(net, 4, 72);
        Object[] values = surface(net, b).fused().run(input(net, b));
        Tensor[] flt = fullForward(net, b);
        assertTrue(values[y] != null && values[sum] != null, "two-reader batch norm and add keep their values");
        for (int i = 1; i < net.size(); i++) {
            if (values[i] != null) {
                assertArrayEquals(flt[i].data(), NhwcTensor.nchw(values[i]).data(), net.nodes().get(i).name());
            }
        }
        assertEquals(SoftmaxCrossEntropy.loss(flt[net.size() - 1], b.labels()),
                SoftmaxCrossEntropy.loss((Tensor) values[net.size() - 1], b.labels()), 0.0);
    }

    @Test
    void aBatchTooLargeToCacheIsEvaluatedInChunksChannelsLastExactly() {
        for (Network net : nets(21)) {
            Batch b = batch(net, 16, 22);
            NetworkSurface s = surface(net, b);
            long all = LiveValues.activationBytesPerImage(net);
            long bound = Math.min(5 * all, LiveValues.liveBytesPerImage(net, s.fused()) * b.size() - 1);
            int step = (int) (bound / all);
            Random r = new Random(23);
            List<AttackableLayer> layers = s.layers();
            try (IncrementalEvaluator e = new IncrementalEvaluator(s, b, bound)) {
                assertFalse(e.cachesValues());
                for (int l = 0; l < layers.size(); l++) {
                    s.flip(randomFlip(r, layers, l));
                    double total = 0;
                    for (int from = 0; from < b.size(); from += step) {
                        Batch chunk = b.slice(from, Math.min(b.size(), from + step));
                        total += SoftmaxCrossEntropy.loss(net.logits(fullForward(net, chunk)), chunk.labels()) * chunk.size();
                    }
                    assertEquals(total / b.size(), e.loss(), 0.0, "chunked loss after a flip in layer " + l);
                    assertArrayEquals(SoftmaxCrossEntropy.argmax(net.logits(fullForward(net, b))), e.predictions());
                }
            }
        }
    }

    /**
     * Tails and evaluations take their arrays from the program's pool of dead values' arrays, whose contents
     * are stale: with the pool first filled with NaN arrays of every node's size, every tentative loss,
     * loss and prediction still equals the float path exactly (a layer that read what it did not write, or a
     * value recycled while still read, would show NaN or a different float), the pool is in use afterwards
     * and closing the surface empties it.
     */
    @Test
    void reusedArraysFullOfStaleValuesChangeNoLossOrPredictionAndAreDroppedOnClose() {
        for (Network net : nets(31)) {
            Batch b = batch(net, 16, 32);
            NetworkSurface s = surface(net, b);
            FloatArrays pool = s.fused().heapArrays();
            for (int[] shape : net.nodes().stream().map(n -> n.shape()).toList()) {
                int size = b.size();
                for (int d : shape) {
                    size *= d;
                }
                for (int copy = 0; copy < 3; copy++) {
                    float[] stale = new float[size];
                    java.util.Arrays.fill(stale, Float.NaN);
                    pool.give(stale);
                }
            }
            Random r = new Random(33);
            List<AttackableLayer> layers = s.layers();
            try (IncrementalEvaluator e = (IncrementalEvaluator) s.evaluator(b)) {
                for (int l = 0; l < layers.size(); l++) {
                    e.lossAndGradient();
                    List<BitFlip> one = List.of(randomFlip(r, layers, l));
                    assertEquals(patchedNchwLoss(net, s, b, one), e.lossWith(one), 0.0, "patched tail, layer " + l);
                    List<BitFlip> two = List.of(randomFlip(r, layers, l), randomFlip(r, layers, (l + 1) % layers.size()));
                    assertEquals(committedLoss(net, s, b, two), e.lossWith(two), 0.0, "re-run, layer " + l);
                    s.flip(one.get(0));
                    assertEquals(fullLoss(net, b), e.loss(), 0.0, "loss after a flip in layer " + l);
                    assertArrayEquals(SoftmaxCrossEntropy.argmax(net.logits(fullForward(net, b))), e.predictions());
                }
            }
            assertTrue(pool.idleBytes() > 0, "dead values' arrays are kept for reuse");
            s.close();
            assertEquals(0, pool.idleBytes(), "closing the surface drops the kept arrays");
        }
    }
}
