package org.bfabench.defenses.rabnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.bfabench.models.ModelsPlugin;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

class EarlyGrowthCandidateTest {
    private static final Shape MNIST = new Shape(1, 28, 28);

    private static ModelArchitecture arch(String id) {
        return new ModelsPlugin().architectures().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void candidateWidensEveryConvByTheFactorAndStartsWithTheBaseChannelsOn() {
        GrowingBnnBuilder b = new GrowingBnnBuilder(MNIST, 1, 3, 1, 0);
        arch("cnn-small").describe(b, MNIST, 10, Options.empty());
        Network net = b.build();
        int[] widths = net.weightedLayers().stream().filter(l -> l instanceof Conv2d)
                .mapToInt(l -> ((Conv2d) l).outChannels()).toArray();
        assertEquals(48, widths[0]);
        assertEquals(96, widths[1]);
        assertEquals(192, widths[2]);
        assertEquals(java.util.List.of("conv0", "conv1", "conv2"), java.util.List.copyOf(b.masks().keySet()));
        b.masks().values().forEach(m -> assertEquals(1.0 / 3.0, m.density(), 1e-12));
    }

    @Test
    void resnetStagesShareOneMaskPerWidthGroup() {
        GrowingBnnBuilder b = new GrowingBnnBuilder(new Shape(3, 32, 32), 1, 3, 1, 0);
        arch("resnet20").describe(b, new Shape(3, 32, 32), 10, Options.empty());
        b.build();
        assertTrue(b.masks().containsKey("stage1") && b.masks().containsKey("stage3"));
        assertEquals(48, b.masks().get("stage1").channels());
        assertEquals(192, b.masks().get("stage3").channels());
        assertEquals(16, b.baseWidths().get("stage1"));
    }

    @Test
    void maskedChannelsOutputExactlyZero() {
        GrowingBnnBuilder b = new GrowingBnnBuilder(MNIST, 2, 3, 1, 0);
        arch("cnn-small").describe(b, MNIST, 10, Options.empty());
        Network net = b.build();
        Random rng = new Random(5);
        for (WeightedLayer l : net.weightedLayers()) {
            l.weights().startTrainingStep(rng);
        }
        float[] x = new float[4 * 28 * 28];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor[] acts = net.forward(net.input(x, 4), true);
        int checked = 0;
        for (int i = 0; i < net.nodes().size(); i++) {
            Node node = net.nodes().get(i);
            if (!(node.layer() instanceof Conv2d conv)) {
                continue;
            }
            float[] mask = b.masks().get(node.name()).current();
            float[] out = acts[i].data();
            int plane = out.length / 4 / conv.outChannels();
            for (int c = 0; c < conv.outChannels(); c++) {
                boolean anyNonZero = false;
                for (int n = 0; n < 4; n++) {
                    for (int p = 0; p < plane; p++) {
                        anyNonZero |= out[(n * conv.outChannels() + c) * plane + p] != 0f;
                    }
                }
                if (mask[c] == 0f) {
                    assertTrue(!anyNonZero, node.name() + " channel " + c + " is masked but not zero");
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "some channel must be masked at initialisation");
    }

    @Test
    void maskGradientIsTheStraightThroughDerivativeAndAlphaSeesTheMask() {
        float[] init = {0.5f, -0.25f, 1.0f, -2.0f, 0.1f, 0.3f};   // 3 channels × 2 weights
        GumbelSigmoidMask mask = new GumbelSigmoidMask(3, 1, 1.0, new SplittableRandom(4));
        MaskedChannelSignWeights w = new MaskedChannelSignWeights(new ChannelSignWeights(init.clone(), 3, true), mask,
                true, 0);
        float[] m = mask.sample(new SplittableRandom(8)).clone();
        float[] alpha = {0.375f, 1.5f, 0.2f};                      // mean |W_c|
        float[] scale = w.scale(true);
        for (int c = 0; c < 3; c++) {
            assertEquals(alpha[c] * m[c], scale[c], 1e-6);
        }
        float[] gradScale = {1f, -2f, 0.5f};
        float[][] g = w.paramGradients(new float[6], gradScale);
        assertEquals(3, g.length, "weight, alpha and mask gradients");
        SplittableRandom again = new SplittableRandom(8);
        for (int c = 0; c < 3; c++) {
            assertEquals(gradScale[c] * m[c], g[1][c], 1e-6, "∂L/∂α");
            double z = mask.logits()[c] + GumbelSigmoidMask.gumbel(again) - GumbelSigmoidMask.gumbel(again);
            double s = GumbelSigmoidMask.sigmoid(z);
            assertEquals(gradScale[c] * alpha[c] * s * (1 - s), g[2][c], 1e-5, "∂L/∂s");
        }
        assertEquals(0f, mask.logitGradient()[0], "the owner hands the accumulated gradient over and clears it");
    }
}
