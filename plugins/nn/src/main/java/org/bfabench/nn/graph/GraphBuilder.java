package org.bfabench.nn.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bfabench.nn.layer.Add;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Flatten;
import org.bfabench.nn.layer.GlobalAvgPool;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.layer.Nd4jKernels;
import org.bfabench.nn.layer.Pool2d;
import org.bfabench.nn.layer.Sign;
import org.bfabench.nn.layer.SubsamplePad;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Shape;

/**
 * Turns an architecture's description into a {@link Network}. Subclasses (one per defense) decide what
 * a conv or linear layer's weights are, which activation is used, and whether a layer's input is
 * binarized. Node handles are node indices. Weights are initialised with He-normal (std √(2/fan-in))
 * from a seeded RNG, so the same seed gives the same network.
 */
public abstract class GraphBuilder implements NetworkBuilder<Integer> {
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Random rng;
    private int weightedCount;
    private int anonymous;
    private boolean finished;

    protected GraphBuilder(Shape input, long seed) {
        this.rng = new Random(seed);
        nodes.add(new Node("input", null, new int[0], new int[] {input.channels(), input.height(), input.width()}));
    }

    /** Weights of a conv layer; {@code first} is true for the network's first weighted layer. */
    protected abstract WeightKind convWeights(String name, float[] init, int outChannels, boolean first);

    /** Weights of a linear layer; {@code classifier} is true for the final one. */
    protected abstract WeightKind linearWeights(String name, float[] init, int outFeatures, boolean classifier);

    /** The nonlinearity of {@link #activation}. */
    protected abstract Layer activationLayer();

    /** Whether the input of this weighted layer is binarized by a {@link Sign} node. */
    protected boolean binarizeInput(boolean first, boolean classifier) {
        return false;
    }

    /** Hook for a conv's output channel count (a growing defense may widen convs); base width by default. */
    protected int convWidth(String name, ConvSpec spec) {
        return spec.outChannels();
    }

    public Network build() {
        if (!finished) {
            throw new BenchException("the architecture never called classifier(); fix the architecture's describe()");
        }
        return new Network(nodes);
    }

    private int add(String name, Layer layer, int[] shape, int... inputs) {
        if (finished) {
            throw new BenchException("architecture added '" + name + "' after classifier(); classifier must be last");
        }
        if (!names.add(name)) {
            throw new BenchException("architecture uses the layer name '" + name + "' twice; names must be unique");
        }
        nodes.add(new Node(name, layer, inputs, shape));
        return nodes.size() - 1;
    }

    private String auto(String kind) {
        return kind + "#" + (anonymous++);
    }

    private int[] shape(int node) {
        return nodes.get(node).shape();
    }

    private float[] heNormal(int count, int fanIn) {
        float[] w = new float[count];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < count; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
        }
        return w;
    }

    private int maybeSign(int in, boolean first, boolean classifier) {
        return binarizeInput(first, classifier) ? add(auto("sign"), new Sign(), shape(in), in) : in;
    }

    @Override
    public Integer input() {
        return 0;
    }

    @Override
    public Integer conv(String name, Integer in, ConvSpec spec) {
        int[] s = shape(in);
        if (s.length != 3) {
            throw new BenchException("conv '" + name + "' needs an image-shaped input, got a flat one; fix the architecture");
        }
        boolean first = weightedCount++ == 0;
        int out = convWidth(name, spec);
        int fanIn = s[0] * spec.kernel() * spec.kernel();
        WeightKind w = convWeights(name, heNormal(out * fanIn, fanIn), out, first);
        int oh = Nd4jKernels.outSize(s[1], spec.kernel(), spec.stride(), spec.padding());
        int ow = Nd4jKernels.outSize(s[2], spec.kernel(), spec.stride(), spec.padding());
        if (oh <= 0 || ow <= 0) {
            throw new BenchException("conv '" + name + "' shrinks " + s[1] + "x" + s[2] + " to nothing; input too small");
        }
        int src = maybeSign(in, first, false);
        // the network's input needs no gradient: a conv reading it skips computing one at attack time
        return add(name, new Conv2d(name, s[0], out, spec.kernel(), spec.stride(), spec.padding(), w, src != 0),
                new int[] {out, oh, ow}, src);
    }

    @Override
    public Integer batchNorm(String name, Integer in) {
        return add(name, new BatchNorm(shape(in)[0]), shape(in), in);
    }

    @Override
    public Integer activation(Integer in) {
        return add(auto("act"), activationLayer(), shape(in), in);
    }

    @Override
    public Integer maxPool(Integer in, int kernel, int stride) {
        return pool(in, Pool2d.max(kernel, stride), kernel, stride, "maxpool");
    }

    @Override
    public Integer avgPool(Integer in, int kernel, int stride) {
        return pool(in, Pool2d.average(kernel, stride), kernel, stride, "avgpool");
    }

    private int pool(int in, Layer layer, int kernel, int stride, String kind) {
        int[] s = shape(in);
        int oh = (s[1] - kernel) / stride + 1;
        int ow = (s[2] - kernel) / stride + 1;
        if (s.length != 3 || oh <= 0 || ow <= 0) {
            throw new BenchException(kind + " " + kernel + "x" + kernel + " does not fit its input; input too small");
        }
        return add(auto(kind), layer, new int[] {s[0], oh, ow}, in);
    }

    @Override
    public Integer globalAvgPool(Integer in) {
        return add(auto("gap"), new GlobalAvgPool(), new int[] {shape(in)[0]}, in);
    }

    @Override
    public Integer flatten(Integer in) {
        int[] s = shape(in);
        int f = 1;
        for (int v : s) {
            f *= v;
        }
        return add(auto("flatten"), new Flatten(), new int[] {f}, in);
    }

    @Override
    public Integer add(Integer a, Integer b) {
        if (!java.util.Arrays.equals(shape(a), shape(b))) {
            throw new BenchException("residual add of shapes " + java.util.Arrays.toString(shape(a)) + " and "
                    + java.util.Arrays.toString(shape(b)) + "; fix the architecture");
        }
        return add(auto("add"), new Add(), shape(a), a, b);
    }

    @Override
    public Integer subsamplePad(Integer in, int outChannels, int stride, String widthGroup) {
        int[] s = shape(in);
        int out = convWidth(widthGroup, new ConvSpec(outChannels, 1, stride, 0, widthGroup));
        return add(auto("shortcut"), new SubsamplePad(out, stride),
                new int[] {out, (s[1] + stride - 1) / stride, (s[2] + stride - 1) / stride}, in);
    }

    @Override
    public Integer linear(String name, Integer in, int outFeatures, boolean bias) {
        return dense(name, in, outFeatures, bias, false);
    }

    @Override
    public Integer classifier(String name, Integer in, int numClasses) {
        int node = dense(name, in, numClasses, true, true);
        finished = true;
        return node;
    }

    private int dense(String name, int in, int outFeatures, boolean bias, boolean classifier) {
        int src = in;
        if (shape(src).length != 1) {
            src = flatten(src);
        }
        int inF = shape(src)[0];
        boolean first = weightedCount++ == 0;
        WeightKind w = linearWeights(name, heNormal(outFeatures * inF, inF), outFeatures, classifier);
        src = maybeSign(src, first, classifier);
        return add(name, new Linear(name, inF, outFeatures, bias, w), new int[] {outFeatures}, src);
    }
}
