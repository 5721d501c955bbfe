package org.bfabench.benchmarks.defended;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;

/**
 * Where one Progressive Bit Search iteration's time goes (a {@code main}, not a JMH benchmark): the three
 * parts {@link PbsIterationBenchmark} times together, each on its own, against the same resnet20 8-bit
 * model on CIFAR-shaped inputs: the loss-and-gradient pass on the attack batch of 128, one tentative loss
 * per layer (a most-significant-bit flip of a random weight: the tails of ALGORITHMS.md §4's search,
 * longest for the first layer), and a committed flip in the middle layer followed by the accuracy on 500
 * evaluation images. Prints every iteration (with each layer's tail) and the medians of the second half,
 * so that an A/B of two jars, run alternately, shows which part a change moved.
 *
 * <pre>OMP_WAIT_POLICY=passive java -Xmx6g -cp benchmarks/target/benchmarks.jar \
 *     org.bfabench.benchmarks.defended.PbsIterationParts 14</pre>
 */
public final class PbsIterationParts {
    private PbsIterationParts() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 14;
        Dataset data = Fixtures.cifarShaped(PbsIterationBenchmark.ATTACK_BATCH * 4, PbsIterationBenchmark.EVALUATION);
        DefendedModel model = Fixtures.train("quantized-8bit", "resnet20", data, 1, PbsIterationBenchmark.ATTACK_BATCH);
        try {
            AttackSurface surface = model.attackSurface().orElseThrow();
            Batch attack = data.train().batch(IntStream.range(0, PbsIterationBenchmark.ATTACK_BATCH).toArray());
            BatchEvaluator onAttack = surface.evaluator(attack);
            BatchEvaluator onEvaluation = surface.evaluator(data.test().all());
            onEvaluation.accuracy();
            Random random = new Random(Fixtures.SEED);
            int layers = surface.layers().size();
            List<double[]> parts = new ArrayList<>();
            for (int it = 0; it < iterations; it++) {
                long t0 = System.nanoTime();
                onAttack.lossAndGradient();
                long t1 = System.nanoTime();
                StringBuilder tails = new StringBuilder();
                for (int l = 0; l < layers; l++) {
                    long s = System.nanoTime();
                    onAttack.lossWith(List.of(randomMsbFlip(surface, l, random)));
                    tails.append(String.format(" %.0f", (System.nanoTime() - s) / 1e6));
                }
                long t2 = System.nanoTime();
                surface.flip(randomMsbFlip(surface, layers / 2, random));
                onEvaluation.accuracy();
                long t3 = System.nanoTime();
                double[] p = {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
                parts.add(p);
                System.out.printf("iteration %d: gradient %.0f ms | %d tails %.0f ms [%s ] | flip + evaluation %.0f ms%n",
                        it, p[0], layers, p[1], tails, p[2]);
            }
            List<double[]> late = parts.subList(parts.size() / 2, parts.size());
            System.out.printf("medians of the last %d: gradient %.0f ms, tails %.0f ms, flip + evaluation %.0f ms, total %.0f ms%n",
                    late.size(), median(late, 0), median(late, 1), median(late, 2), median(late, 3));
        } finally {
            model.close();
        }
    }

    private static BitFlip randomMsbFlip(AttackSurface surface, int layer, Random random) {
        int weights = surface.layers().get(layer).weightCount();
        return new BitFlip(layer, random.nextInt(weights), surface.layers().get(layer).bits() - 1);
    }

    /** Median of part {@code k} (3: the sum of the three parts). */
    private static double median(List<double[]> rows, int k) {
        double[] v = rows.stream().mapToDouble(p -> k == 3 ? p[0] + p[1] + p[2] : p[k]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
