package org.bfabench.benchmarks.xnor;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.bfabench.nn.xnor.XnorConv2d;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
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
 * One binary 3×3 conv layer of a vgg-small/cnn-small-like BNN (default 128 images, 64→64 channels,
 * stride 1, padding 1) three ways: the XNOR-popcount kernel on raw floats (sign packing included),
 * ND4J's float conv2d (oneDNN) on the ±1 input, and a plain-Java float loop (vectorisable inner loop
 * over columns, images split over the common pool). Setup checks all three give identical outputs,
 * so the numbers compare the same computation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class BinaryConvBenchmark {

    private static final int KERNEL = 3;
    private static final int PADDING = 1;

    @Param("128")
    public int batch;

    @Param("64")
    public int channels;

    @Param({"14", "8"})
    public int size;

    private float[] input;
    private float[] signs;
    private float[] weights;
    private float[] output;
    private long dotsPerForward;
    private XnorConv2d xnor;
    private INDArray ndSigns;
    private INDArray ndWeights;
    private Conv2DConfig config;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(2026L);
        input = new float[batch * channels * size * size];
        signs = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
            signs[i] = input[i] >= 0f ? 1f : -1f;
        }
        weights = new float[channels * channels * KERNEL * KERNEL];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextBoolean() ? 1f : -1f;
        }
        output = new float[batch * channels * size * size];
        dotsPerForward = (long) output.length;
        xnor = new XnorConv2d(channels, channels, KERNEL, 1, PADDING);
        xnor.setWeights(weights);
        ndSigns = Nd4j.create(signs, new long[] {batch, channels, size, size}, 'c');
        ndWeights = Nd4j.create(weights, new long[] {channels, channels, KERNEL, KERNEL}, 'c');
        config = Conv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(1).sW(1).pH(PADDING).pW(PADDING).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
        checkAllPathsAgree();
    }

    private void checkAllPathsAgree() {
        xnor.forward(input, batch, size, size, output);
        float[] viaXnor = output.clone();
        float[] viaNd4j;
        try (INDArray out = Nd4j.cnn().conv2d(ndSigns, ndWeights, config)) {
            viaNd4j = out.castTo(DataType.FLOAT).data().asFloat();
        }
        float[] viaJava = javaFloat();
        if (!Arrays.equals(viaXnor, viaNd4j) || !Arrays.equals(viaXnor, viaJava)) {
            throw new IllegalStateException("XNOR, ND4J and Java float convolutions disagree on " + batch + "×"
                    + channels + "×" + size + "×" + size + "; the comparison would be meaningless");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ndSigns.close();
        ndWeights.close();
    }

    @Benchmark
    public float[] xnor(DotProducts dots) {
        xnor.forward(input, batch, size, size, output);
        dots.dotProducts += dotsPerForward;
        return output;
    }

    @Benchmark
    public double nd4jFloat(DotProducts dots) {
        try (INDArray out = Nd4j.cnn().conv2d(ndSigns, ndWeights, config)) {
            dots.dotProducts += dotsPerForward;
            return out.getDouble(0);
        }
    }

    @Benchmark
    public float[] javaFloat(DotProducts dots) {
        float[] out = javaFloat();
        dots.dotProducts += dotsPerForward;
        return out;
    }

    /** Direct convolution, stride 1: for each weight, one axpy over a row of columns (auto-vectorised). */
    private float[] javaFloat() {
        int plane = size * size;
        float[] out = output;
        IntStream.range(0, batch).parallel().forEach(img -> {
            for (int o = 0; o < channels; o++) {
                int ob = (img * channels + o) * plane;
                Arrays.fill(out, ob, ob + plane, 0f);
                for (int c = 0; c < channels; c++) {
                    int xb = (img * channels + c) * plane;
                    for (int ky = 0; ky < KERNEL; ky++) {
                        for (int kx = 0; kx < KERNEL; kx++) {
                            float w = weights[((o * channels + c) * KERNEL + ky) * KERNEL + kx];
                            int dx = kx - PADDING;
                            int lo = Math.max(0, -dx);
                            int hi = Math.min(size, size - dx);
                            for (int oy = 0; oy < size; oy++) {
                                int iy = oy + ky - PADDING;
                                if (iy < 0 || iy >= size) {
                                    continue;
                                }
                                int orow = ob + oy * size;
                                int irow = xb + iy * size + dx;
                                for (int ox = lo; ox < hi; ox++) {
                                    out[orow + ox] += w * signs[irow + ox];
                                }
                            }
                        }
                    }
                }
            }
        });
        return out;
    }
}
