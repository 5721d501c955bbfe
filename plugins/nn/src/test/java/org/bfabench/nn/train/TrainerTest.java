package org.bfabench.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Relu;
import org.bfabench.nn.weights.QuantizedWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Progress;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final Shape SHAPE = new Shape(1, 6, 6);

    private static Network net(long seed) {
        GraphBuilder b = new GraphBuilder(SHAPE, seed) {
            @Override
            protected WeightKind convWeights(String name, float[] init, int out, boolean first) {
                return new QuantizedWeights(8, init, out);
            }

            @Override
            protected WeightKind linearWeights(String name, float[] init, int out, boolean classifier) {
                return new QuantizedWeights(8, init, out);
            }

            @Override
            protected Layer activationLayer() {
                return new Relu();
            }
        };
        int x = b.activation(b.batchNorm("bn0", b.conv("conv0", b.input(), new ConvSpec(8, 3, 1, 1, "conv0"))));
        b.classifier("fc", b.flatten(b.maxPool(x, 2, 2)), 3);
        return b.build();
    }

    private static ImageSplit data() {
        Random r = new Random(1);
        int n = 96;
        float[] x = new float[n * SHAPE.size()];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int j = 0; j < SHAPE.size(); j++) {
                x[i * SHAPE.size() + j] = (float) r.nextGaussian();
            }
        }
        return new ImageSplit(SHAPE, x, y);
    }

    private static TrainingConfig config(String optimizer) {
        return new TrainingConfig(30, 16, optimizer, optimizer.equals("sgd") ? 0.05 : 0.03, 0.9, true, 1e-4, 1,
                LearningRateSchedule.Kind.COSINE, Augmentation.NONE);
    }

    @Test
    void quantizationAwareTrainingFitsItsTrainingSetWithSgdAndAdam() {
        for (String opt : List.of("sgd", "adam")) {
            List<Trainer.EpochStats> s = new Trainer(config(opt)).train(net(1), data(), 1, Progress.NONE);
            assertTrue(s.get(s.size() - 1).accuracy() > 0.9, opt + ": " + s.get(s.size() - 1));
            assertTrue(s.get(s.size() - 1).loss() < s.get(0).loss() / 2, opt + ": loss did not fall");
        }
    }

    @Test
    void theSameSeedGivesIdenticalWeights() {
        Network a = net(4);
        Network b = net(4);
        new Trainer(config("sgd")).train(a, data(), 9, Progress.NONE);
        new Trainer(config("sgd")).train(b, data(), 9, Progress.NONE);
        a.params().forEach((k, p) -> assertArrayEquals(p.value(), b.params().get(k).value(), k));
        a.buffers().forEach((k, p) -> assertArrayEquals(p.value(), b.buffers().get(k).value(), k));
    }
}
