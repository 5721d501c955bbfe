package org.bfabench.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.FloatWeights;
import org.bfabench.nn.weights.QuantizedWeights;
import org.bfabench.nn.weights.WeightKind;
import org.junit.jupiter.api.Test;

/**
 * Every channels-last forward gives exactly (bit for bit, signed zeros included) the layer's own NCHW
 * inference forward, on odd non-square shapes with channel counts that are not multiples of 8, from
 * channels-last and from NCHW input.
 */
class ChannelsLastLayersTest {
    /** Gaussian values with runs of exact +0 and −0 (the signed zeros pooling and relu must keep apart). */
    private static Tensor images(long seed, int n, int c, int h, int w) {
        Random r = new Random(seed);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 5 % 7 == 0 ? (r.nextBoolean() ? 0f : -0f) : (float) (3 * r.nextGaussian());
        }
        return new Tensor(x, n, c, h, w);
    }

    /** The layer's NCHW forward against the channels-last one from NHWC and from NCHW input, exactly. */
    private static void assertSameAsLayer(Layer layer, Tensor... in) {
        float[] expected = layer.forward(in, false).data();
        Object[] nhwc = new Object[in.length];
        for (int k = 0; k < in.length; k++) {
            nhwc[k] = NhwcTensor.of(in[k]);
        }
        String name = layer.getClass().getSimpleName();
        assertArrayEquals(expected, NhwcTensor.nchw(ChannelsLastLayers.forward(layer, nhwc)).data(), name + " from NHWC");
        assertArrayEquals(expected, NhwcTensor.nchw(ChannelsLastLayers.forward(layer, in.clone())).data(),
                name + " from NCHW");
    }

    private static float[] gaussian(Random r, int count, double std) {
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) (std * r.nextGaussian());
        }
        return w;
    }

    @Test
    void transposingToChannelsLastAndBackGivesTheSameTensor() {
        Tensor x = images(1, 3, 5, 7, 9);
        NhwcTensor y = NhwcTensor.of(x);
        assertEquals(x.data()[((2 * 5 + 4) * 7 + 6) * 9 + 8], y.data()[((2 * 7 + 6) * 9 + 8) * 5 + 4]);
        assertEquals(x.data()[((1 * 5 + 3) * 7 + 2) * 9 + 1], y.data()[((1 * 7 + 2) * 9 + 1) * 5 + 3]);
        assertArrayEquals(x.data(), y.toNchw().data());
        assertArrayEquals(x.shape(), y.toNchw().shape());
    }

    @Test
    void convolutionsChannelsLastEqualConv2dForQuantizedPerChannelAndUnitScales() {
        Random r = new Random(2);
        int inC = 5;
        int[][] cases = {{11, 3, 1, 1}, {13, 3, 2, 1}, {6, 1, 2, 0}, {7, 3, 1, 0}};
        for (int[] k : cases) {
            int out = k[0];
            int fanIn = inC * k[1] * k[1];
            WeightKind[] kinds = {new QuantizedWeights(8, gaussian(r, out * fanIn, 0.3), out),
                new ChannelSignWeights(gaussian(r, out * fanIn, 0.3), out, true), new FloatWeights(gaussian(r, out * fanIn, 0.3))};
            for (WeightKind w : kinds) {
                if (!(w instanceof FloatWeights)) {
                    w.freeze();
                }
                Conv2d conv = new Conv2d("conv", inC, out, k[1], k[2], k[3], w);
                assertSameAsLayer(conv, images(3 + out, 3, inC, 9, 7));
            }
        }
    }

    @Test
    void convolutionsReusingNativeArraysEqualFreshOnesAndKeepOnlyWhatFitsTheBound() {
        Random r = new Random(30);
        QuantizedWeights w1 = new QuantizedWeights(8, gaussian(r, 11 * 5 * 9, 0.3), 11);
        QuantizedWeights w2 = new QuantizedWeights(8, gaussian(r, 5 * 11 * 9, 0.3), 5);
        w1.freeze();
        w2.freeze();
        Conv2d a = new Conv2d("a", 5, 11, 3, 1, 1, w1);
        Conv2d b = new Conv2d("b", 11, 5, 3, 2, 1, w2);
        try (ConvBuffers buffers = new ConvBuffers(1L << 20)) {
            for (int round = 0; round < 3; round++) {
                // new data every round: a reused input must be overwritten, a reused output fully rewritten
                Tensor x = images(31 + round, 2, 5, 9, 7);
                Tensor ya = a.forward(new Tensor[] {x}, false);
                Object za = ChannelsLastLayers.forward(a, new Object[] {round == 1 ? x : NhwcTensor.of(x)}, null, buffers);
                assertArrayEquals(ya.data(), NhwcTensor.nchw(za).data(), "conv a, round " + round);
                Tensor yb = b.forward(new Tensor[] {ya}, false);
                Object zb = ChannelsLastLayers.forward(b, new Object[] {za}, null, buffers);
                assertArrayEquals(yb.data(), NhwcTensor.nchw(zb).data(), "conv b, round " + round);
                // a's input and output, b's output: b's input has a's output shape and reuses one of those
                assertEquals(4L * (2 * 9 * 7 * 5 + 2 * 9 * 7 * 11 + 2 * 5 * 4 * 5), buffers.idleBytes());
            }
        }
        try (ConvBuffers small = new ConvBuffers(4L * 2 * 9 * 7 * 11 - 1)) {
            ChannelsLastLayers.forward(a, new Object[] {images(40, 2, 5, 9, 7)}, null, small);
            assertEquals(4L * 2 * 9 * 7 * 5, small.idleBytes(), "the output does not fit beside the input");
            small.close();
            assertEquals(0, small.idleBytes());
        }
        long in3 = 4L * 3 * 9 * 7 * 5;
        long out3 = 4L * 3 * 9 * 7 * 11;
        try (ConvBuffers bound = new ConvBuffers(in3 + out3)) {
            ChannelsLastLayers.forward(a, new Object[] {images(41, 2, 5, 9, 7)}, null, bound);
            assertEquals(4L * (2 * 9 * 7 * 5 + 2 * 9 * 7 * 11), bound.idleBytes(), "batch 2's arrays fit");
            for (int round = 0; round < 2; round++) {
                Tensor x = images(42 + round, 3, 5, 9, 7);
                Object z = ChannelsLastLayers.forward(a, new Object[] {x}, null, bound);
                assertArrayEquals(a.forward(new Tensor[] {x}, false).data(), NhwcTensor.nchw(z).data());
                assertEquals(in3 + out3, bound.idleBytes(), "batch 3's arrays replace batch 2's, round " + round);
            }
        }
    }

    @Test
    void readingTheNativeChannelsLastOutputGivesExactlyThePreActivationOfEveryPixelOverReusedArrays() {
        Random r = new Random(33);
        int[][] cases = {{16, 3, 1, 1}, {13, 3, 2, 1}, {70, 1, 1, 0}};
        try (ConvBuffers buffers = new ConvBuffers(1L << 22)) {
            for (int[] k : cases) {
                int out = k[0];
                ChannelSignWeights w = new ChannelSignWeights(gaussian(r, out * 3 * k[1] * k[1], 0.3), out, true);
                w.freeze();
                Conv2d conv = new Conv2d("conv", 3, out, k[1], k[2], k[3], w);
                for (int round = 0; round < 2; round++) {
                    Tensor x = images(50 + out + round, 2, 3, 9, 7);
                    Tensor pre = conv.preActivation(x, false);
                    float[] nhwc = Nd4jKernels.conv2dReadChannelsLast(x, w.base(false), out, k[1], k[2], k[3], buffers,
                            b -> {
                                float[] copy = new float[b.limit()];
                                b.get(0, copy);
                                return copy;
                            });
                    assertArrayEquals(NhwcTensor.of(pre).data(), nhwc, "conv " + out + "/" + k[1] + ", round " + round);
                }
            }
        }
    }

    @Test
    void batchNormChannelsLastEqualsItsInferenceForward() {
        Random r = new Random(4);
        BatchNorm bn = new BatchNorm(13);
        for (Param p : bn.params()) {
            System.arraycopy(gaussian(r, 13, 1.5), 0, p.value(), 0, 13);
        }
        float[] mean = bn.buffers().get(0).value();
        float[] var = bn.buffers().get(1).value();
        for (int k = 0; k < 13; k++) {
            mean[k] = (float) r.nextGaussian();
            var[k] = (float) (0.05 + r.nextDouble() * 3);
        }
        assertSameAsLayer(bn, images(5, 3, 13, 7, 9));
    }

    /** {@code layer} then {@code act} as two NCHW forwards against the fused channels-last sweep, exactly. */
    private static void assertFusedSameAsLayers(Layer layer, Layer act, Tensor... in) {
        float[] expected = act.forward(new Tensor[] {layer.forward(in, false)}, false).data();
        Object[] nhwc = new Object[in.length];
        for (int k = 0; k < in.length; k++) {
            nhwc[k] = NhwcTensor.of(in[k]);
        }
        String name = layer.getClass().getSimpleName() + "+" + act.getClass().getSimpleName();
        assertArrayEquals(expected, NhwcTensor.nchw(ChannelsLastLayers.forward(layer, nhwc, act, null)).data(), name);
        assertArrayEquals(expected, NhwcTensor.nchw(ChannelsLastLayers.forward(layer, in.clone(), act, null)).data(),
                name + " from NCHW");
    }

    @Test
    void batchNormAndAddFusedWithTheirActivationEqualTheLayersInSequence() {
        Random r = new Random(17);
        BatchNorm bn = new BatchNorm(11);
        for (Param p : bn.params()) {
            System.arraycopy(gaussian(r, 11, 1.5), 0, p.value(), 0, 11);
        }
        for (int k = 0; k < 11; k++) {
            bn.buffers().get(0).value()[k] = (float) r.nextGaussian();
            bn.buffers().get(1).value()[k] = (float) (0.05 + r.nextDouble() * 3);
        }
        for (Layer act : new Layer[] {new Relu(), new Hardtanh()}) {
            assertFusedSameAsLayers(bn, act, images(18, 3, 11, 9, 7));
            assertFusedSameAsLayers(new Add(), act, images(19, 3, 5, 7, 9), images(20, 3, 5, 7, 9));
        }
    }

    @Test
    void activationsAndTheResidualAddChannelsLastEqualTheirForwards() {
        assertSameAsLayer(new Relu(), images(6, 3, 13, 9, 7));
        assertSameAsLayer(new Hardtanh(), images(7, 2, 5, 7, 9));
        assertSameAsLayer(new Add(), images(8, 3, 13, 9, 7), images(9, 3, 13, 9, 7));
        // one input of each layout, as when a cached NCHW block input meets a channels-last branch
        Tensor a = images(10, 2, 5, 7, 9);
        Tensor b = images(11, 2, 5, 7, 9);
        assertArrayEquals(new Add().forward(new Tensor[] {a, b}, false).data(),
                NhwcTensor.nchw(ChannelsLastLayers.forward(new Add(), new Object[] {NhwcTensor.of(a), b})).data());
    }

    @Test
    void optionAShortcutChannelsLastEqualsSubsamplePad() {
        assertSameAsLayer(new SubsamplePad(11, 2), images(12, 3, 5, 9, 7));
        assertSameAsLayer(new SubsamplePad(13, 2), images(13, 2, 13, 7, 9));
        assertSameAsLayer(new SubsamplePad(9, 1), images(14, 2, 5, 7, 9));
    }

    @Test
    void globalAveragePoolingChannelsLastSumsInTheSameOrder() {
        Tensor x = images(15, 3, 13, 9, 7);
        // each plane starts with 1e17, −1e17: summed first they cancel and the small values survive; summed
        // in another order the small values are absorbed by a 1e17 (ulp 16 in double) and lost
        float[] d = x.data();
        for (int p = 0; p < 3 * 13; p++) {
            d[p * 63] = 1e17f;
            d[p * 63 + 1] = -1e17f;
        }
        Object out = ChannelsLastLayers.forward(new GlobalAvgPool(), new Object[] {NhwcTensor.of(x)});
        assertInstanceOf(Tensor.class, out);
        assertSameAsLayer(new GlobalAvgPool(), x);
    }

    @Test
    void maxAndAveragePoolingChannelsLastEqualPool2d() {
        for (Pool2d p : new Pool2d[] {Pool2d.max(2, 2), Pool2d.max(3, 2), Pool2d.average(2, 2), Pool2d.average(3, 2),
            Pool2d.max(2, 1)}) {
            assertSameAsLayer(p, images(16, 3, 13, 9, 7));
        }
        // an all-zero window of −0s averages to +0 (0 + −0), not −0
        Tensor zeros = new Tensor(new float[] {-0f, -0f, -0f, -0f, 1f, -0f, -0f, 2f}, 1, 2, 2, 2);
        assertSameAsLayer(Pool2d.average(2, 2), zeros);
        assertSameAsLayer(Pool2d.max(2, 2), zeros);
    }
}
