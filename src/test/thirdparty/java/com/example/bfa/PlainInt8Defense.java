package com.example.bfa;

import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.bfabench.spi.TrainingContext;

/**
 * Trains a fully-connected network in plain Java (mini-batch SGD with momentum, real batch norm) and
 * quantizes its linear weights post-training to 8-bit codes with one step size per layer.
 * Option {@code learning_rate} (default 0.05).
 */
public final class PlainInt8Defense implements Defense {
    private static final Set<String> OPTIONS = Set.of("learning_rate");

    @Override
    public String id() {
        return "plain-int8";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "plain-Java MLP, post-training 8-bit quantization (third-party example)";
    }

    @Override
    public boolean supports(ModelArchitecture architecture) {
        try {
            architecture.describe(new ChainBuilder(28 * 28), new Shape(1, 28, 28), 10, Options.empty());
            return true;
        } catch (BenchException | IllegalArgumentException e) {
            return false;
        }
    }

    private static DenseStack stack(ModelArchitecture arch, Options archOptions, Shape shape, int classes) {
        ChainBuilder b = new ChainBuilder(shape.size());
        arch.describe(b, shape, classes, archOptions);
        return new DenseStack(b.ops());
    }

    @Override
    public DefendedModel train(TrainingContext ctx) {
        for (String key : ctx.options().keys()) {
            if (!OPTIONS.contains(key)) {
                throw new BenchException("plain-int8: unknown option '" + key + "' (known: " + OPTIONS + ")");
            }
        }
        double lr = ctx.options().getDouble("learning_rate", 0.05);
        ImageSplit train = ctx.dataset().train();
        int size = ctx.budget().trainLimit() == 0 ? train.size() : Math.min(train.size(), ctx.budget().trainLimit());
        DenseStack net = stack(ctx.architecture(), ctx.architectureOptions(), ctx.dataset().inputShape(),
                ctx.dataset().numClasses());
        Random rng = new Random(ctx.seed());
        net.initialise(rng);
        Momentum momentum = new Momentum(net);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int batchSize = ctx.budget().batchSize();
        ctx.progress().start("plain-int8 epochs", ctx.budget().epochs());
        for (int epoch = 0; epoch < ctx.budget().epochs(); epoch++) {
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from + 1 < size; from += batchSize) {
                int to = Math.min(size, from + batchSize);
                Batch batch = train.batch(java.util.Arrays.copyOfRange(order, from, to));
                DenseStack.Grads g = net.backward(net.forward(batch.images(), batch.size(), true), batch.labels(), true);
                momentum.step(g, lr);
                lossSum += g.loss();
                batches++;
            }
            ctx.progress().step(epoch + 1, String.format("loss %.4f", lossSum / Math.max(1, batches)));
        }
        return Int8Model.quantize(net);
    }

    @Override
    public DefendedModel load(ModelContext ctx, Path file) {
        return Int8Model.load(stack(ctx.architecture(), ctx.architectureOptions(), ctx.inputShape(), ctx.numClasses()), file);
    }

    /** SGD with momentum 0.9 over every trainable parameter. */
    private static final class Momentum {
        private final DenseStack net;
        private final float[][] vw;
        private final float[][] vb;
        private final float[][] vg;
        private final float[][] vbeta;

        Momentum(DenseStack net) {
            this.net = net;
            int k = net.ops.size();
            vw = new float[k][];
            vb = new float[k][];
            vg = new float[k][];
            vbeta = new float[k][];
        }

        void step(DenseStack.Grads g, double lr) {
            for (int i = 0; i < net.ops.size(); i++) {
                update(net.weight[i], g.weight()[i], vw, i, lr);
                update(net.bias[i], g.bias()[i], vb, i, lr);
                update(net.gamma[i], g.gamma()[i], vg, i, lr);
                update(net.beta[i], g.beta()[i], vbeta, i, lr);
            }
        }

        private static void update(float[] p, float[] grad, float[][] velocity, int i, double lr) {
            if (p == null || grad == null) {
                return;
            }
            if (velocity[i] == null) {
                velocity[i] = new float[p.length];
            }
            float[] v = velocity[i];
            for (int j = 0; j < p.length; j++) {
                v[j] = 0.9f * v[j] + grad[j];
                p[j] -= (float) (lr * v[j]);
            }
        }
    }
}
