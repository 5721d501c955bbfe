package org.bfabench.benchmarks.xnor;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bfabench.nn.xnor.XnorLinear;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One binary fully connected layer (default 128 rows, features → features) two ways: XNOR-popcount on
 * raw floats (sign packing included) and ND4J float {@code mmul} of the ±1 input with the ±1 weights
 * into a preallocated result. Setup checks both give identical outputs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class BinaryLinearBenchmark {

    @Param("128")
    public int batch;

    @Param({"512", "1024"})
    public int features;

    private float[] input;
    private float[] output;
    private long dotsPerForward;
    private XnorLinear xnor;
    private INDArray ndSigns;
    private INDArray ndWeightsT;
    private INDArray ndOut;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(2026L);
        input = new float[batch * features];
        float[] signs = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
            signs[i] = input[i] >= 0f ? 1f : -1f;
        }
        float[] weights = new float[features * features];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextBoolean() ? 1f : -1f;
        }
        output = new float[batch * features];
        dotsPerForward = output.length;
        xnor = new XnorLinear(features, features);
        xnor.setWeights(weights);
        ndSigns = Nd4j.create(signs, new long[] {batch, features}, 'c');
        try (INDArray w = Nd4j.create(weights, new long[] {features, features}, 'c')) {
            ndWeightsT = w.transpose().dup('c');
        }
        ndOut = Nd4j.create(ndSigns.dataType(), batch, features);

        xnor.forward(input, batch, output);
        ndSigns.mmul(ndWeightsT, ndOut);
        if (!Arrays.equals(output, ndOut.data().asFloat())) {
            throw new IllegalStateException("XNOR and ND4J products disagree on " + batch + "×" + features
                    + "; the comparison would be meaningless");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ndSigns.close();
        ndWeightsT.close();
        ndOut.close();
    }

    @Benchmark
    public float[] xnor(DotProducts dots) {
        xnor.forward(input, batch, output);
        dots.dotProducts += dotsPerForward;
        return output;
    }

    @Benchmark
    public INDArray nd4jMmul(DotProducts dots) {
        ndSigns.mmul(ndWeightsT, ndOut);
        dots.dotProducts += dotsPerForward;
        return ndOut;
    }
}
