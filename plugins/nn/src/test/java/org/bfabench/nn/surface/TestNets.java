package org.bfabench.nn.surface;

import java.util.Random;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Relu;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.QuantizedWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.Batch;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.Shape;

/** Small residual CNNs with quantized or complete-BNN layers, and random batches, for surface tests. */
final class TestNets {
    private TestNets() {
    }

    static GraphBuilder quantized(Shape in, int bits, long seed) {
        return new GraphBuilder(in, seed) {
            @Override
            protected WeightKind convWeights(String name, float[] init, int out, boolean first) {
                return new QuantizedWeights(bits, init, out);
            }

            @Override
            protected WeightKind linearWeights(String name, float[] init, int out, boolean classifier) {
                return new QuantizedWeights(bits, init, out);
            }

            @Override
            protected Layer activationLayer() {
                return new Relu();
            }
        };
    }

    static GraphBuilder bnn(Shape in, long seed) {
        return bnn(in, seed, true);
    }

    /** Complete-BNN weights (per-channel α except the classifier) with no binarized input: float path only. */
    static GraphBuilder floatPathBnn(Shape in, long seed) {
        return bnn(in, seed, false);
    }

    private static GraphBuilder bnn(Shape in, long seed, boolean signInputs) {
        return new GraphBuilder(in, seed) {
            @Override
            protected WeightKind convWeights(String name, float[] init, int out, boolean first) {
                return new ChannelSignWeights(init, out, true);
            }

            @Override
            protected WeightKind linearWeights(String name, float[] init, int out, boolean classifier) {
                return new ChannelSignWeights(init, out, !classifier);
            }

            @Override
            protected Layer activationLayer() {
                return new Hardtanh();
            }

            @Override
            protected boolean binarizeInput(boolean first, boolean classifier) {
                return signInputs && !first && !classifier;
            }
        };
    }

    /** conv-BN-act, a residual block with an option-A shortcut, pooling, a hidden linear layer, classifier. */
    static Network describe(GraphBuilder b) {
        int x = b.activation(b.batchNorm("bn0", b.conv("conv0", b.input(), new ConvSpec(4, 3, 1, 1, "conv0"))));
        int y = b.activation(b.batchNorm("bn1", b.conv("conv1", x, new ConvSpec(8, 3, 2, 1, "s1"))));
        y = b.batchNorm("bn2", b.conv("conv2", y, new ConvSpec(8, 3, 1, 1, "s1")));
        int z = b.activation(b.add(y, b.subsamplePad(x, 8, 2, "s1")));
        z = b.maxPool(z, 2, 2);
        z = b.activation(b.batchNorm("bn3", b.linear("fc1", b.flatten(z), 12, false)));
        b.classifier("fc", z, 5);
        return b.build();
    }

    static Batch batch(Shape s, int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(5);
        }
        return new Batch(s, x, y);
    }

    /** Runs a few training-mode forwards so batch-norm running statistics are not the identity. */
    static void warmBatchNorm(Network net, Batch b) {
        for (int i = 0; i < 3; i++) {
            net.forward(net.input(b.images().clone(), b.size()), true);
        }
    }
}
