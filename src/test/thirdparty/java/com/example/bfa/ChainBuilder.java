package com.example.bfa;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.NetworkBuilder;

/**
 * Records an architecture's description as a chain of dense operations. Only fully-connected
 * networks are supported (flatten, linear, batch norm, activation, classifier, each fed by the previous
 * node); anything else is refused, which makes {@link PlainInt8Defense#supports} answer false.
 */
final class ChainBuilder implements NetworkBuilder<Integer> {
    enum Kind { LINEAR, BATCH_NORM, RELU, CLASSIFIER }

    /** One operation; {@code in}/{@code out} are feature counts. */
    record Op(Kind kind, String name, int in, int out, boolean bias) { }

    private final int inputFeatures;
    private final List<Op> ops = new ArrayList<>();
    private int features;
    private int last;
    private boolean flattened;
    private boolean done;

    ChainBuilder(int inputFeatures) {
        this.inputFeatures = inputFeatures;
        this.features = inputFeatures;
    }

    List<Op> ops() {
        if (!done) {
            throw new BenchException("plain-int8: the architecture did not end with a classifier");
        }
        return List.copyOf(ops);
    }

    int inputFeatures() {
        return inputFeatures;
    }

    private Integer next(Integer in, Op op) {
        if (done) {
            throw new BenchException("plain-int8: nothing may follow the classifier");
        }
        if (in != last) {
            throw new BenchException("plain-int8 supports only a chain of layers, not branches");
        }
        if (op != null) {
            ops.add(op);
            features = op.out();
        }
        return ++last;
    }

    @Override
    public Integer input() {
        return 0;
    }

    @Override
    public Integer flatten(Integer in) {
        flattened = true;
        return next(in, null);
    }

    @Override
    public Integer linear(String name, Integer in, int outFeatures, boolean bias) {
        requireFlat(name);
        return next(in, new Op(Kind.LINEAR, name, features, outFeatures, bias));
    }

    @Override
    public Integer batchNorm(String name, Integer in) {
        requireFlat(name);
        return next(in, new Op(Kind.BATCH_NORM, name, features, features, false));
    }

    @Override
    public Integer activation(Integer in) {
        return next(in, new Op(Kind.RELU, "relu", features, features, false));
    }

    @Override
    public Integer classifier(String name, Integer in, int numClasses) {
        requireFlat(name);
        Integer r = next(in, new Op(Kind.CLASSIFIER, name, features, numClasses, true));
        done = true;
        return r;
    }

    private void requireFlat(String name) {
        if (!flattened) {
            throw new BenchException("plain-int8: layer " + name + " needs flattened input");
        }
    }

    private static BenchException unsupported(String what) {
        return new BenchException("plain-int8 supports fully-connected networks only, not " + what);
    }

    @Override
    public Integer conv(String name, Integer in, ConvSpec spec) {
        throw unsupported("convolution " + name);
    }

    @Override
    public Integer maxPool(Integer in, int kernel, int stride) {
        throw unsupported("pooling");
    }

    @Override
    public Integer avgPool(Integer in, int kernel, int stride) {
        throw unsupported("pooling");
    }

    @Override
    public Integer globalAvgPool(Integer in) {
        throw unsupported("pooling");
    }

    @Override
    public Integer add(Integer a, Integer b) {
        throw unsupported("residual connections");
    }

    @Override
    public Integer subsamplePad(Integer in, int outChannels, int stride, String widthGroup) {
        throw unsupported("residual shortcuts");
    }
}
