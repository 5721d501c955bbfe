package org.bfabench.nn.layer;

import java.util.List;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.WeightKind;

/** Bias-free 2-D convolution, NCHW data, OIHW weights, square kernel, on ND4J's conv2d/conv2d_bp. */
public final class Conv2d implements WeightedLayer {
    private final String name;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final WeightKind weights;
    private final boolean inputGradient;

    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, WeightKind weights) {
        this(name, inChannels, outChannels, kernel, stride, padding, weights, true);
    }

    /**
     * @param inputGradient false for a layer that reads the network's input: no pass needs that gradient,
     *                      so attack-time backward passes compute the weight gradient only
     */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, WeightKind weights,
            boolean inputGradient) {
        this.inputGradient = inputGradient;
        this.name = name;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weights = weights;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public WeightKind weights() {
        return weights;
    }

    public int inChannels() {
        return inChannels;
    }

    @Override
    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public int fanIn() {
        return inChannels * kernel * kernel;
    }

    @Override
    public Tensor preActivation(Tensor x, boolean training) {
        checkInput(x);
        return Nd4jKernels.conv2d(x, weights.base(training), outChannels, kernel, stride, padding);
    }

    /** {@code finish(preActivation(x))} with the scale applied as the convolution's result is copied out. */
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        Tensor x = in[0];
        checkInput(x);
        return Nd4jKernels.conv2d(x, weights.base(training), outChannels, kernel, stride, padding, weights.scale(training));
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 4 || x.channels() != inChannels) {
            throw new IllegalArgumentException(name + ": expected N×" + inChannels + "×H×W input, got " + x);
        }
    }

    @Override
    public Tensor finish(Tensor pre, boolean training) {
        return new Tensor(WeightedLayer.scaleChannels(pre, weights.scale(training)), pre.shape());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        float[] scale = weights.scale(training);
        float[] base = weights.base(training);
        if (!training && !inputGradient && stride == 1) {
            float[] gw = ConvolutionGradients.weights(in[0], outChannels, kernel, padding, gradOut, scale);
            return new Gradients(new Tensor[] {null}, weights.paramGradients(gw, null), gw);
        }
        // training keeps conv2d_bp for every layer so trained models stay bit-identical to earlier versions
        Nd4jKernels.ConvGradients g = Nd4jKernels.conv2dBackward(in[0], base, outChannels, kernel, stride, padding,
                gradOut, scale);
        float[] gradScale = null;
        if (weights.learnableScale() && training) { // attack-time gradients need codes only
            Tensor pre = Nd4jKernels.conv2d(in[0], base, outChannels, kernel, stride, padding);
            gradScale = WeightedLayer.channelDot(gradOut, pre, scale.length);
        }
        return new Gradients(new Tensor[] {inputGradient ? g.input() : null},
                weights.paramGradients(g.weights(), gradScale), g.weights());
    }

    @Override
    public List<Param> params() {
        return weights.params();
    }
}
