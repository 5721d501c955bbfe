package org.bfabench.benchmarks.defended;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bfabench.defenses.common.DefendedNetwork;
import org.bfabench.nn.graph.Network;
import org.bfabench.spi.Batch;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference throughput (images/s) of a defended model on a batch of {@value #BATCH} CIFAR-shaped
 * (3×32×32) images, two ways (the fork resolves {@code jdk.incubator.vector}, which the XNOR kernel's
 * vector popcount uses when present):
 * <ul>
 *   <li>{@link #model}: {@link DefendedModel#predict}, the path grids and attacks use — binary layers
 *       whose input is binarized run the XNOR-popcount kernel, everything else ND4J float;</li>
 *   <li>{@link #floatPath}: the same frozen {@link Network} with every layer on its float path
 *       (for a BNN: conv(sign(x), sign(W)) through oneDNN, then α).</li>
 * </ul>
 * Setup checks that both paths predict the same classes, so the two numbers compare one computation.
 * Scores are operations per second with one operation per image. The 4 GB heap is for the short
 * training that builds the model (ra-bnn grows resnet20 well beyond its base width).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class InferenceBenchmark {
    static final int BATCH = 128;

    @Param({"cnn-small", "vgg-small", "resnet20"})
    public String model;

    @Param({"quantized-8bit", "quantized-4bit", "binary-weights", "bnn"})
    public String defense;

    private DefendedModel defended;
    private Network network;
    private Batch batch;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Fixtures.cifarShaped(BATCH, BATCH);
        defended = Fixtures.train(defense, model, data, 1, BATCH);
        network = ((DefendedNetwork) defended).network();
        batch = data.test().range(0, BATCH);
        int[] viaModel = defended.predict(batch);
        int[] viaFloat = network.predict(batch);
        if (!Arrays.equals(viaModel, viaFloat)) {
            throw new IllegalStateException(defense + "/" + model + ": the model path and the float path predict"
                    + " different classes; the comparison would be meaningless");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        defended.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int[] model() {
        return defended.predict(batch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int[] floatPath() {
        return network.predict(batch);
    }
}
