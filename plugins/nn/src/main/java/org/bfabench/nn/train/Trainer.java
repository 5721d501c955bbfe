package org.bfabench.nn.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.Gradients;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch training with cross-entropy: seeded shuffling and augmentation, so the same seed gives the
 * same weights.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Loss and training accuracy of one epoch. */
    public record EpochStats(int epoch, double loss, double accuracy) {
    }

    /** Called after every epoch (Early-Growth updates its temperatures and tracks channel density here). */
    @FunctionalInterface
    public interface EpochListener {
        void epochEnd(EpochStats stats);

        /** Asked after {@link #epochEnd}: true ends training early (Early-Growth stops once density saturates). */
        default boolean stop() {
            return false;
        }
    }

    private final TrainingConfig config;

    public Trainer(TrainingConfig config) {
        this.config = config;
    }

    public List<EpochStats> train(Network net, ImageSplit data, long seed, Progress progress) {
        return train(net, data, seed, progress, s -> { });
    }

    public List<EpochStats> train(Network net, ImageSplit data, long seed, Progress progress, EpochListener listener) {
        List<org.bfabench.nn.layer.WeightedLayer> weighted = net.weightedLayers();
        Random rng = new Random(seed);
        int n = data.size();
        int bs = Math.min(config.batchSize(), n);
        long stepsPerEpoch = (n + bs - 1) / bs;
        long total = stepsPerEpoch * config.epochs();
        LearningRateSchedule lr = new LearningRateSchedule(config.lr(), Math.round(config.warmupEpochs() * stepsPerEpoch),
                total, config.schedule(), 0.1);
        Optimizer opt = config.newOptimizer();
        Map<String, Param> params = net.params();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] shape = net.nodes().get(0).shape();
        progress.start("train", config.epochs());
        java.util.ArrayList<EpochStats> stats = new java.util.ArrayList<>();
        long step = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            long correct = 0;
            for (int from = 0; from < n; from += bs) {
                int to = Math.min(n, from + bs);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                var batch = data.batch(idx);
                float[] x = batch.images();
                if (config.augmentation().enabled() && shape.length == 3) {
                    config.augmentation().apply(x, idx.length, shape[0], shape[1], shape[2], rng);
                }
                for (var w : weighted) {
                    w.weights().startTrainingStep(rng);
                }
                Tensor[] acts = net.forward(net.input(x, idx.length), true);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.lossAndGradient(net.logits(acts), batch.labels());
                int[] pred = SoftmaxCrossEntropy.argmax(net.logits(acts));
                for (int k = 0; k < pred.length; k++) {
                    correct += pred[k] == batch.labels()[k] ? 1 : 0;
                }
                lossSum += r.loss() * idx.length;
                Gradients[] g = net.backward(acts, r.gradient(), true);
                opt.step(params, collect(net, g), lr.at(step++));
            }
            EpochStats s = new EpochStats(epoch, lossSum / n, (double) correct / n);
            stats.add(s);
            listener.epochEnd(s);
            LOG.debug("epoch {} loss {} train-acc {}", epoch, s.loss(), s.accuracy());
            progress.step(epoch + 1, String.format("loss %.4f acc %.3f", s.loss(), s.accuracy()));
            if (listener.stop()) {
                break;
            }
        }
        return stats;
    }

    static Map<String, float[]> collect(Network net, Gradients[] g) {
        Map<String, float[]> m = new HashMap<>();
        List<Node> nodes = net.nodes();
        for (int i = 1; i < nodes.size(); i++) {
            if (g[i] == null) {
                continue;
            }
            List<Param> ps = nodes.get(i).layer().params();
            for (int k = 0; k < ps.size(); k++) {
                m.put(nodes.get(i).name() + "/" + ps.get(k).name(), g[i].params()[k]);
            }
        }
        return m;
    }
}
