package org.bfabench.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.FloatWeights;
import org.bfabench.nn.weights.QuantizedWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerGradientTest {

    @ParameterizedTest
    @CsvSource({"3,1,1", "3,2,1", "1,1,0", "3,2,0"})
    void convolutionGradientsMatchFiniteDifferences(int kernel, int stride, int padding) {
        float[] w = GradientCheck.random(1, 0.5f, 4, 3, kernel, kernel).data();
        Conv2d conv = new Conv2d("c", 3, 4, kernel, stride, padding, new FloatWeights(w));
        GradientCheck gc = new GradientCheck(conv, true, GradientCheck.random(2, 1f, 2, 3, 6, 5));
        gc.checkInput(0, 1e-2);
        gc.check(w, gc.analytic().params()[0], 1e-2, "weight");
    }

    @Test
    void convolutionMatchesADirectLoopForOihwWeights() {
        Tensor x = GradientCheck.random(3, 1f, 1, 2, 4, 4);
        float[] w = GradientCheck.random(4, 1f, 3, 2, 3, 3).data();
        Tensor y = new Conv2d("c", 2, 3, 3, 1, 1, new FloatWeights(w)).forward(new Tensor[] {x}, false);
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double s = 0;
                    for (int c = 0; c < 2; c++) {
                        for (int a = 0; a < 3; a++) {
                            for (int b = 0; b < 3; b++) {
                                int ii = i + a - 1;
                                int jj = j + b - 1;
                                if (ii >= 0 && ii < 4 && jj >= 0 && jj < 4) {
                                    s += x.data()[(c * 4 + ii) * 4 + jj] * w[((o * 2 + c) * 3 + a) * 3 + b];
                                }
                            }
                        }
                    }
                    assertEquals(s, y.data()[(o * 4 + i) * 4 + j], 1e-4);
                }
            }
        }
    }

    /** Several images, unequal in/out channels, a non-square input and stride 2: a wrong NHWC transpose shows. */
    @ParameterizedTest
    @CsvSource({"3,1,1", "3,2,1", "1,1,0", "3,2,0"})
    void scaledConvolutionOfABatchMatchesADirectLoop(int kernel, int stride, int padding) {
        int n = 3, c = 5, o = 7, h = 9, w = 6;
        Tensor x = GradientCheck.random(11, 1f, n, c, h, w);
        float[] wt = GradientCheck.random(12, 1f, o, c, kernel, kernel).data();
        float[] scale = GradientCheck.random(13, 1f, o).data();
        Tensor y = Nd4jKernels.conv2d(x, wt, o, kernel, stride, padding, scale);
        int oh = Nd4jKernels.outSize(h, kernel, stride, padding);
        int ow = Nd4jKernels.outSize(w, kernel, stride, padding);
        assertArrayEquals(new int[] {n, o, oh, ow}, y.shape());
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < o; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < kernel; p++) {
                                for (int q = 0; q < kernel; q++) {
                                    int ii = i * stride + p - padding;
                                    int jj = j * stride + q - padding;
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                        s += x.data()[((b * c + ch) * h + ii) * w + jj]
                                                * wt[((f * c + ch) * kernel + p) * kernel + q];
                                    }
                                }
                            }
                        }
                        assertEquals(s * scale[f], y.data()[((b * o + f) * oh + i) * ow + j], 1e-4,
                                "image " + b + " channel " + f + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    /**
     * oneDNN's conv2d_bp (both gradients) and a stride-1 first layer's weight gradient by a forward convolution,
     * each against a direct loop over output pixels, with a per-channel scale and a non-square input.
     */
    @ParameterizedTest
    @CsvSource({"3,1,1", "1,1,0", "3,1,0", "3,1,2", "5,1,2", "2,1,0", "2,1,1", "3,2,1", "3,2,0"})
    void conv2dBpAndTheWeightOnlyGradientByAForwardConvolutionMatchADirectLoop(int kernel, int stride, int padding) {
        int n = 3, c = 5, o = 7, h = 9, w = 6;
        Tensor x = GradientCheck.random(21, 1f, n, c, h, w);
        float[] wt = GradientCheck.random(22, 1f, o, c, kernel, kernel).data();
        float[] scale = GradientCheck.random(23, 1f, o).data();
        int oh = Nd4jKernels.outSize(h, kernel, stride, padding);
        int ow = Nd4jKernels.outSize(w, kernel, stride, padding);
        Tensor go = GradientCheck.random(24, 1f, n, o, oh, ow);
        double[] gw = new double[wt.length];
        double[] gi = new double[x.size()];
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < o; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double g = (double) go.data()[((b * o + f) * oh + i) * ow + j] * scale[f];
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < kernel; p++) {
                                for (int q = 0; q < kernel; q++) {
                                    int ii = i * stride + p - padding;
                                    int jj = j * stride + q - padding;
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                        int xi = ((b * c + ch) * h + ii) * w + jj;
                                        int wi = ((f * c + ch) * kernel + p) * kernel + q;
                                        gw[wi] += g * x.data()[xi];
                                        gi[xi] += g * wt[wi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Nd4jKernels.ConvGradients ref = Nd4jKernels.conv2dBackward(x, wt, o, kernel, stride, padding, go, scale);
        // the weight-only path serves stride-1 first layers; stride 2 checks conv2d_bp alone
        float[] weightOnly = stride == 1 ? ConvolutionGradients.weights(x, o, kernel, padding, go, scale)
                : ref.weights();
        assertArrayEquals(x.shape(), ref.input().shape());
        assertEquals(gw.length, weightOnly.length);
        for (int k = 0; k < gw.length; k++) {
            assertEquals(gw[k], weightOnly[k], 1e-4 + 1e-5 * Math.abs(gw[k]), "weight-only gradient " + k);
            assertEquals(gw[k], ref.weights()[k], 1e-4 + 1e-5 * Math.abs(gw[k]), "conv2d_bp weight gradient " + k);
        }
        for (int k = 0; k < gi.length; k++) {
            assertEquals(gi[k], ref.input().data()[k], 1e-4 + 1e-5 * Math.abs(gi[k]), "conv2d_bp input gradient " + k);
        }
    }

    @ParameterizedTest
    @CsvSource({"3,1,1", "1,1,0", "3,2,1"})
    void attackTimeConvolutionGradientsMatchFiniteDifferences(int kernel, int stride, int padding) {
        float[] w = GradientCheck.random(31, 0.5f, 4, 3, kernel, kernel).data();
        Conv2d conv = new Conv2d("c", 3, 4, kernel, stride, padding, new FloatWeights(w));
        GradientCheck gc = new GradientCheck(conv, false, GradientCheck.random(32, 1f, 2, 3, 6, 5));
        gc.checkInput(0, 1e-2);
        gc.check(w, gc.analytic().codes(), 1e-2, "weight");
    }

    /** A conv reading the network's input computes no input gradient at attack time, and the same weight gradient. */
    @ParameterizedTest
    @CsvSource({"3,1,1", "3,2,1"})
    void aConvWithoutInputGradientGivesTheSameCodeGradientAtAttackTimeAndNoInputGradient(int kernel, int stride,
            int padding) {
        float[] w = GradientCheck.random(33, 0.5f, 4, 3, kernel, kernel).data();
        Tensor x = GradientCheck.random(34, 1f, 2, 3, 7, 5);
        Conv2d first = new Conv2d("c", 3, 4, kernel, stride, padding, new FloatWeights(w), false);
        Conv2d inner = new Conv2d("c", 3, 4, kernel, stride, padding, new FloatWeights(w));
        Tensor y = inner.forward(new Tensor[] {x}, false);
        Tensor go = GradientCheck.random(35, 1f, y.shape());
        Gradients a = first.backward(new Tensor[] {x}, y, go, false);
        Gradients b = inner.backward(new Tensor[] {x}, y, go, false);
        assertNull(a.inputs()[0]);
        assertEquals(x.size(), b.inputs()[0].size());
        for (int k = 0; k < w.length; k++) {
            assertEquals(b.codes()[k], a.codes()[k], 1e-4 + 1e-5 * Math.abs(b.codes()[k]), "code gradient " + k);
        }
        GradientCheck gc = new GradientCheck(first, false, x);
        gc.check(w, gc.analytic().codes(), 1e-2, "weight");
    }

    @Test
    void quantizedConvolutionGradientWithRespectToCodesMatchesFiniteDifferences() {
        float[] w = GradientCheck.random(5, 0.3f, 2, 2, 3, 3).data();
        QuantizedWeights q = new QuantizedWeights(8, w, 2);
        q.freeze();
        Conv2d conv = new Conv2d("c", 2, 2, 3, 1, 1, q);
        GradientCheck gc = new GradientCheck(conv, false, GradientCheck.random(6, 1f, 2, 2, 5, 5));
        // the loss is linear in a code, so a unit step is exact
        gc.check(q.base(false), gc.analytic().codes(), 1.0, "code");
    }

    @Test
    void bnnChannelScaleAndLatentWeightGradientsMatchTheClippedEstimator() {
        float[] w = GradientCheck.random(7, 0.4f, 3, 2, 3, 3).data();
        ChannelSignWeights b = new ChannelSignWeights(w, 3, true);
        Conv2d conv = new Conv2d("c", 2, 3, 3, 1, 1, b);
        GradientCheck gc = new GradientCheck(conv, true, GradientCheck.random(8, 1f, 2, 2, 5, 5));
        Gradients g = gc.analytic();
        gc.check(b.params().get(1).value(), g.params()[1], 1e-2, "alpha");
        gc.checkInput(0, 1e-2);
        float[] codes = g.codes();
        for (int i = 0; i < w.length; i++) {
            assertEquals(Math.abs(w[i]) <= 1f ? codes[i] : 0f, g.params()[0][i], 0f);
        }
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        float[] w = GradientCheck.random(9, 0.5f, 4, 6).data();
        Linear lin = new Linear("fc", 6, 4, true, new FloatWeights(w));
        lin.params().get(1).value()[2] = 0.3f;
        GradientCheck gc = new GradientCheck(lin, true, GradientCheck.random(10, 1f, 3, 6));
        Gradients g = gc.analytic();
        gc.checkInput(0, 1e-2);
        gc.check(w, g.params()[0], 1e-2, "weight");
        gc.check(lin.params().get(1).value(), g.params()[1], 1e-2, "bias");
    }

    @Test
    void batchNormTrainingGradientsMatchFiniteDifferences() {
        BatchNorm bn = new BatchNorm(3);
        bn.params().get(0).value()[1] = 1.7f;
        bn.params().get(1).value()[2] = -0.4f;
        GradientCheck gc = new GradientCheck(bn, true, GradientCheck.random(11, 2f, 4, 3, 2, 2));
        Gradients g = gc.analytic();
        gc.checkInput(0, 1e-2);
        gc.check(bn.params().get(0).value(), g.params()[0], 1e-2, "gamma");
        gc.check(bn.params().get(1).value(), g.params()[1], 1e-2, "beta");
    }

    @Test
    void batchNormInferenceUsesRunningStatisticsAndItsGradientMatches() {
        BatchNorm bn = new BatchNorm(2);
        Tensor warm = GradientCheck.random(12, 3f, 8, 2);
        bn.forward(new Tensor[] {warm}, true);
        float[] rm = bn.buffers().get(0).value();
        GradientCheck gc = new GradientCheck(bn, false, GradientCheck.random(13, 1f, 5, 2));
        gc.checkInput(0, 1e-2);
        Tensor one = new Tensor(new float[] {rm[0], rm[1]}, 1, 2);
        assertArrayEquals(new float[] {0f, 0f}, bn.forward(new Tensor[] {one}, false).data(), 1e-6f);
    }

    @Test
    void elementwiseAndPoolingLayerGradientsMatchFiniteDifferences() {
        // scale 3 keeps most values away from the kinks at 0 and ±1; ties in max-pooling have measure zero
        for (Layer layer : List.of(new Relu(), new Hardtanh(), Pool2d.max(2, 2), Pool2d.average(2, 2),
                Pool2d.max(3, 1), new GlobalAvgPool(), new Flatten(), new SubsamplePad(6, 2))) {
            Tensor x = GradientCheck.random(14, 3f, 2, 2, 5, 4);
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                if (Math.abs(d[i]) < 0.05f || Math.abs(Math.abs(d[i]) - 1f) < 0.05f) {
                    d[i] += 0.2f;
                }
            }
            new GradientCheck(layer, true, x).checkInput(0, 1e-2);
        }
        GradientCheck add = new GradientCheck(new Add(), true, GradientCheck.random(15, 1f, 2, 3),
                GradientCheck.random(16, 1f, 2, 3));
        add.checkInput(0, 1e-2);
        add.checkInput(1, 1e-2);
    }

    @Test
    void reluBackwardPassesTheGradientExactlyForEveryPositiveInputIncludingSubnormalsAndNothingForZerosAndNegatives() {
        Tensor x = new Tensor(new float[] {Float.MIN_VALUE, 1e-39f, 3.5f, Float.MAX_VALUE, 0f, -0f, -Float.MIN_VALUE, -2f}, 1, 8);
        Tensor g = new Tensor(new float[] {0.3f, -7f, 1e-30f, 5f, 1f, -1f, 2f, 9f}, 1, 8);
        float[] gi = new Relu().backward(new Tensor[] {x}, null, g, true).inputs()[0].data();
        assertArrayEquals(new float[] {0.3f, -7f, 1e-30f, 5f, 0f, 0f, 0f, 0f}, gi, 0f);
    }

    @Test
    void signIsPlusOneAtZeroAndPassesGradientOnlyWhereTheInputIsWithinOne() {
        Sign s = new Sign();
        Tensor x = new Tensor(new float[] {-2f, -1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, 1, 7);
        assertArrayEquals(new float[] {-1, -1, -1, 1, 1, 1, 1}, s.forward(new Tensor[] {x}, true).data());
        Tensor g = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7}, 1, 7);
        assertArrayEquals(new float[] {0, 2, 3, 4, 5, 6, 0}, s.backward(new Tensor[] {x}, null, g, true).inputs()[0].data());
    }

    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        Tensor z = GradientCheck.random(17, 2f, 3, 5);
        int[] y = {1, 4, 0};
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.lossAndGradient(z, y);
        float[] d = z.data();
        for (int i = 0; i < d.length; i++) {
            float keep = d[i];
            d[i] = keep + 1e-3f;
            double p = SoftmaxCrossEntropy.loss(z, y);
            d[i] = keep - 1e-3f;
            double m = SoftmaxCrossEntropy.loss(z, y);
            d[i] = keep;
            assertEquals((p - m) / 2e-3, r.gradient().data()[i], 1e-3);
        }
        Tensor uniform = Tensor.zeros(2, 4);
        assertEquals(Math.log(4), SoftmaxCrossEntropy.loss(uniform, new int[] {0, 3}), 1e-9);
    }
}
