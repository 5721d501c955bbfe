package org.bfabench.nn.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.layer.Sign;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.xnor.PackedSigns;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

/** The fused complete-BNN inference must reproduce the float path bit for bit, before and after flips. */
class FusedProgramTest {
    private static final Shape ODD = new Shape(3, 11, 13);

    /** VGG-like: padding, stride 2, an unpadded conv, a 3×3/2 overlapping pool, 70 channels (two words). */
    private static Network vggLike(long seed) {
        GraphBuilder b = TestNets.bnn(ODD, seed);
        int x = block(b, "conv0", b.input(), 8, 1, 1);
        x = b.maxPool(block(b, "conv1", x, 6, 1, 1), 2, 2);
        x = block(b, "conv2", x, 70, 2, 1);
        x = b.maxPool(block(b, "conv3", x, 9, 1, 1), 3, 2);
        b.classifier("fc", b.flatten(x), 5);
        return b.build();
    }

    /** cnn-small-like: conv-BN-act-pool three times (max-pools, or average pools, which stay on the float path). */
    private static Network cnnLike(long seed, boolean averagePools) {
        GraphBuilder b = TestNets.bnn(new Shape(2, 12, 12), seed);
        int x = b.input();
        for (int i = 0; i < 3; i++) {
            int c = block(b, "conv" + i, x, 4 << i, 1, 1);
            x = averagePools ? b.avgPool(c, 2, 2) : b.maxPool(c, 2, 2);
        }
        b.classifier("fc", b.flatten(x), 5);
        return b.build();
    }

    private static int block(GraphBuilder b, String name, int in, int out, int stride, int pad) {
        int c = b.conv(name, in, new ConvSpec(out, 3, stride, pad, name));
        return b.activation(b.batchNorm("bn" + name, c));
    }

    /** Real running statistics, then γ of random sign with about a fifth exactly 0, and random β. */
    private static void randomBatchNorm(Network net, Batch batch, long seed) {
        TestNets.warmBatchNorm(net, batch);
        perturbBatchNorm(net, seed);
    }

    private static void perturbBatchNorm(Network net, long seed) {
        Random r = new Random(seed);
        for (var node : net.nodes()) {
            if (node.layer() instanceof BatchNorm bn) {
                for (Param p : bn.params()) {
                    float[] v = p.value();
                    for (int c = 0; c < v.length; c++) {
                        if (p.name().equals("gamma")) {
                            double u = r.nextDouble();
                            v[c] = u < 0.2 ? 0f : (float) ((u < 0.6 ? -1 : 1) * (0.2 + r.nextDouble()));
                        } else {
                            v[c] = (float) (0.5 * r.nextGaussian());
                        }
                    }
                }
            }
        }
    }

    /** Gaussian images with patches of exact ±0 so some first-conv sums are exactly 0. */
    private static Batch images(Shape s, int n, long seed) {
        Batch b = TestNets.batch(s, n, seed);
        float[] x = b.images();
        Random r = new Random(seed + 1);
        for (int i = 0; i < x.length; i++) {
            if (i / 7 % 5 == 0) {
                x[i] = r.nextBoolean() ? 0f : -0f;
            }
        }
        return b;
    }

    /** Every value the program keeps equals the float forward's: tensors exactly, bits as the ±1 tensor. */
    private static void assertMatchesFloatPath(Network net, NetworkSurface s, Batch b) {
        assertMatchesFloatPath(net, s, b, true);
    }

    private static void assertMatchesFloatPath(Network net, NetworkSurface s, Batch b, boolean vggOrCnnBlocks) {
        Tensor[] flt = net.forward(net.input(b.images().clone(), b.size()), false);
        FusedProgram program = s.fused();
        Object[] values = program.run(net.input(b.images().clone(), b.size()));
        int packed = 0;
        for (int i = 1; i < net.size(); i++) {
            String name = net.nodes().get(i).name();
            if (values[i] instanceof PackedSigns p) {
                assertInstanceOf(Sign.class, net.nodes().get(i).layer(), name);
                assertArrayEquals(flt[i].data(), p.toFloats(), 0f, name);
                packed++;
            } else if (values[i] != null) {
                assertArrayEquals(flt[i].data(), ((Tensor) values[i]).data(), 0f, name);
            }
        }
        assertTrue(packed >= 2, "binary blocks should stay in bits, got " + packed + " packed nodes");
        if (vggOrCnnBlocks) {
            assertTrue(program.stepCount() < net.size() - 5, "blocks should be fused: " + program.stepCount()
                    + " steps");
        }
        assertArrayEquals(flt[net.size() - 1].data(), program.logits(values).data(), 0f, "logits");
    }

    @Test
    void fusedVggLikeBnnWithRandomBatchNormIncludingNegativeAndZeroGammaIsBitIdenticalToTheFloatPath() {
        for (long seed = 1; seed <= 4; seed++) {
            Batch b = images(ODD, 9, seed);
            Network net = vggLike(seed);
            randomBatchNorm(net, b, seed);
            assertMatchesFloatPath(net, new NetworkSurface(net), b);
        }
    }

    @Test
    void averagePoolsAreNotFoldedAsMaxPoolsAndTheProgramStaysBitIdentical() {
        Shape shape = new Shape(2, 12, 12);
        for (long seed = 8; seed <= 9; seed++) {
            Batch b = images(shape, 10, seed);
            Network net = cnnLike(seed, true);
            randomBatchNorm(net, b, seed);
            Tensor[] flt = net.forward(net.input(b.images().clone(), b.size()), false);
            FusedProgram program = new NetworkSurface(net).fused();
            Object[] values = program.run(net.input(b.images().clone(), b.size()));
            assertArrayEquals(flt[net.size() - 1].data(), program.logits(values).data(), 0f, "logits");
        }
    }

    @Test
    void fusedCnnLikeBnnIsBitIdenticalToTheFloatPath() {
        Shape shape = new Shape(2, 12, 12);
        for (long seed = 5; seed <= 7; seed++) {
            Batch b = images(shape, 10, seed);
            Network net = cnnLike(seed, false);
            randomBatchNorm(net, b, seed);
            assertMatchesFloatPath(net, new NetworkSurface(net), b);
        }
    }

    @Test
    void residualBnnWithShortcutsBranchingOffBlocksIsBitIdenticalToTheFloatPath() {
        Shape shape = new Shape(2, 8, 8);
        for (long seed = 8; seed <= 9; seed++) {
            Batch b = images(shape, 7, seed);
            Network net = TestNets.describe(TestNets.bnn(shape, seed));
            randomBatchNorm(net, b, seed);
            assertMatchesFloatPath(net, new NetworkSurface(net), b, false);
        }
    }

    @Test
    void incrementalEvaluationAfterFlipsEqualsAFreshFloatForwardExactly() {
        Batch b = images(ODD, 12, 21);
        Network net = vggLike(21);
        randomBatchNorm(net, b, 21);
        NetworkSurface s = new NetworkSurface(net);
        Random r = new Random(22);
        List<AttackableLayer> layers = s.layers();
        try (BatchEvaluator e = s.evaluator(b)) {
            for (int round = 0; round < 3; round++) {
                for (int l = 0; l < layers.size(); l++) {
                    BitFlip f = new BitFlip(l, r.nextInt(layers.get(l).weightCount()), 0);
                    BitFlip g = new BitFlip(l, r.nextInt(layers.get(l).weightCount()), 0);
                    double before = e.loss();
                    double tentative = e.lossWith(List.of(f, g));
                    assertEquals(before, e.loss(), 0.0, "lossWith must leave the surface unchanged");
                    s.flip(f);
                    s.flip(g);
                    Tensor logits = net.logits(net.forward(net.input(b.images().clone(), b.size()), false));
                    double full = SoftmaxCrossEntropy.loss(logits, b.labels());
                    assertEquals(full, e.loss(), 0.0, "loss after flips in layer " + l);
                    assertEquals(full, tentative, 0.0, "tentative loss of flips in layer " + l);
                    assertArrayEquals(SoftmaxCrossEntropy.argmax(logits), e.predictions());
                    assertEquals(full, e.lossAndGradient().loss(), 0.0, "gradient pass loss, layer " + l);
                }
            }
        }
        assertMatchesFloatPath(net, s, b);
    }

    @Test
    void realInputThresholdsSitExactlyOnTheFloatPathsDecisionBoundary() {
        Batch b = images(ODD, 4, 41);
        Network net = vggLike(41);
        randomBatchNorm(net, b, 41);
        new NetworkSurface(net); // freezes
        var conv = net.weightedLayers().get(0);
        int node = net.nodeOf(conv);
        List<org.bfabench.nn.layer.Layer> tail = List.of(net.nodes().get(node + 1).layer(),
                net.nodes().get(node + 2).layer());
        Sign sign = new Sign();
        int channels = conv.outChannels();
        float bound = 1e30f;
        int[][] iv = ChannelMaps.keyIntervals(conv, tail, sign, channels, bound);
        int domainLo = PackedSigns.orderKey(-bound);
        int domainHi = PackedSigns.orderKey(bound);
        int boundaries = 0;
        for (int c = 0; c < channels; c++) {
            for (int key : new int[] {iv[0][c] - 1, iv[0][c], iv[1][c], iv[1][c] + 1}) {
                if (key < domainLo || key > domainHi) {
                    continue;
                }
                float[] pre = new float[channels];
                pre[c] = PackedSigns.fromOrderKey(key);
                float z = ChannelMaps.apply(conv, tail, pre, 1, channels)[c];
                boolean inside = key >= iv[0][c] && key <= iv[1][c];
                assertEquals(inside, z >= 0f, "channel " + c + " at " + pre[c]);
                boundaries++;
            }
        }
        assertTrue(boundaries >= channels, "most channels have a boundary inside the domain");
    }

    @Test
    void changingBatchNormStateRebuildsTheDerivedThresholds() {
        Batch b = images(ODD, 6, 31);
        Network net = vggLike(31);
        randomBatchNorm(net, b, 31);
        NetworkSurface s = new NetworkSurface(net);
        FusedProgram first = s.fused();
        perturbBatchNorm(net, 32);
        assertNotSame(first, s.fused());
        assertMatchesFloatPath(net, s, b);
        assertArrayEquals(net.predict(b), s.predict(b));
    }
}
