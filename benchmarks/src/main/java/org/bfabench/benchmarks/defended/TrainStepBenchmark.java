package org.bfabench.benchmarks.defended;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seconds per training step (batch {@value #BATCH}, CIFAR-shaped 3×32×32) of a defense's own training:
 * each invocation is {@link org.bfabench.spi.Defense#train} for one epoch of {@value #STEPS} batches with
 * the defense's defaults (for quantized-8bit: QAT with SGD + Nesterov, random crop and flip), divided by
 * {@value #STEPS}. Building and freezing the network are included, a small share next to the steps.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class TrainStepBenchmark {
    static final int BATCH = 128;
    static final int STEPS = 4;

    @Param({"resnet20"})
    public String model;

    @Param({"quantized-8bit"})
    public String defense;

    private Dataset data;

    @Setup(Level.Trial)
    public void setUp() {
        data = Fixtures.cifarShaped(BATCH * STEPS, 1);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public DefendedModel trainStep() {
        try (DefendedModel m = Fixtures.train(defense, model, data, STEPS, BATCH)) {
            return m;
        }
    }
}
