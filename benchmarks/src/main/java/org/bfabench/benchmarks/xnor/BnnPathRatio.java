package org.bfabench.benchmarks.xnor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bfabench.defenses.bnn.BnnNetworkBuilder;
import org.bfabench.models.ModelsPlugin;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.surface.NetworkSurface;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.Batch;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * XNOR path vs float path of a complete BNN (RA-BNN's {@code bnn} layers on cnn-small / vgg-small,
 * 3×32×32 inputs, batch 128) measured <em>interleaved</em>: each round times one call of each path, and
 * the report gives the median time per path and the median of the per-round ratios. On a shared,
 * loaded machine this ratio is far steadier than two JMH runs minutes apart, because both paths see the
 * same load. The ratio of the two paths' total process CPU time is reported too, which load disturbs
 * least (run with OMP_WAIT_POLICY=passive so ND4J's idle threads do not spin). Checks first that both paths predict the same classes.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.bfabench.benchmarks.xnor.BnnPathRatio [rounds] [model…]}.
 */
public final class BnnPathRatio {
    private static final int BATCH = 128;
    private static final Shape SHAPE = new Shape(3, 32, 32);

    private BnnPathRatio() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<String> models = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("cnn-small", "vgg-small");
        for (String model : models) {
            measure(model, rounds);
        }
    }

    private static void measure(String model, int rounds) {
        ModelArchitecture arch = new ModelsPlugin().architectures().stream().filter(a -> a.id().equals(model))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no architecture " + model));
        BnnNetworkBuilder builder = new BnnNetworkBuilder(SHAPE, 7L);
        arch.describe(builder, SHAPE, 10, Options.empty());
        Network network = builder.build();
        Random r = new Random(11L);
        float[] x = new float[BATCH * SHAPE.size()];
        int[] y = new int[BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Batch batch = new Batch(SHAPE, x, y);
        for (int i = 0; i < 3; i++) { // batch-norm running statistics that are not the identity
            network.forward(network.input(x.clone(), BATCH), true);
        }
        NetworkSurface surface = new NetworkSurface(network);
        if (!Arrays.equals(surface.predict(batch), network.predict(batch))) {
            throw new IllegalStateException(model + ": XNOR and float paths predict different classes");
        }
        for (int i = 0; i < 5; i++) {
            surface.predict(batch);
            network.predict(batch);
        }
        List<Double> xnor = new ArrayList<>();
        List<Double> flt = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        long cpuXnor = 0;
        long cpuFloat = 0;
        List<Double> first = new ArrayList<>();
        WeightedLayer conv0 = network.weightedLayers().get(0);
        Tensor in = network.input(x.clone(), BATCH);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < rounds; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            surface.predict(batch);
            long t1 = System.nanoTime();
            long c1 = os.getProcessCpuTime();
            network.predict(batch);
            long t2 = System.nanoTime();
            long c2 = os.getProcessCpuTime();
            conv0.preActivation(in, false);
            first.add((System.nanoTime() - t2) / 1e6);
            xnor.add((t1 - t0) / 1e6);
            flt.add((t2 - t1) / 1e6);
            ratio.add((double) (t2 - t1) / (t1 - t0));
            cpuXnor += c1 - c0;
            cpuFloat += c2 - c1;
        }
        double mx = median(xnor);
        double mf = median(flt);
        System.out.printf("%s bnn batch %d, %d interleaved rounds: xnor %.2f ms (%.0f img/s), float %.2f ms"
                + " (%.0f img/s), median per-round ratio float/xnor %.2f (total process CPU time ratio %.2f)%n", model, BATCH,
                rounds, mx, BATCH / mx * 1e3, mf, BATCH / mf * 1e3, median(ratio), (double) cpuFloat / cpuXnor);
        // the first conv has real input, so both paths run it on ND4J: it bounds the achievable ratio
        System.out.printf("  first conv alone (float, both paths): %.2f ms = %.0f%% of the xnor path%n",
                median(first), 100 * median(first) / mx);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
