package org.bfabench.nn.layer;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.WeightKind;

/** Fully-connected layer on N×F input, weights out×in row-major, optional full-precision bias. */
public final class Linear implements WeightedLayer {
    private final String name;
    private final int inFeatures;
    private final int outFeatures;
    private final WeightKind weights;
    private final float[] bias;

    public Linear(String name, int inFeatures, int outFeatures, boolean bias, WeightKind weights) {
        this.name = name;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weights = weights;
        this.bias = bias ? new float[outFeatures] : null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public WeightKind weights() {
        return weights;
    }

    public int inFeatures() {
        return inFeatures;
    }

    @Override
    public int outChannels() {
        return outFeatures;
    }

    @Override
    public int fanIn() {
        return inFeatures;
    }

    public boolean hasBias() {
        return bias != null;
    }

    @Override
    public Tensor preActivation(Tensor x, boolean training) {
        if (x.rank() != 2 || x.dim(1) != inFeatures) {
            throw new IllegalArgumentException(name + ": expected N×" + inFeatures + " input, got " + x);
        }
        return new Tensor(Nd4jKernels.matmulTransB(x.data(), x.n(), inFeatures, weights.base(training), outFeatures),
                x.n(), outFeatures);
    }

    @Override
    public Tensor finish(Tensor pre, boolean training) {
        float[] out = WeightedLayer.scaleChannels(pre, weights.scale(training));
        if (bias != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] += bias[i % outFeatures];
            }
        }
        return new Tensor(out, pre.shape());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        Tensor x = in[0];
        int n = x.n();
        float[] scale = weights.scale(training);
        float[] base = weights.base(training);
        float[] gPre = WeightedLayer.scaleChannels(gradOut, scale);
        float[] gx = Nd4jKernels.matmul(gPre, n, outFeatures, base, inFeatures);
        float[] gw = Nd4jKernels.matmulTransA(gPre, n, outFeatures, x.data(), inFeatures);
        float[] gradScale = null;
        if (weights.learnableScale() && training) { // attack-time gradients need codes only
            Tensor pre = preActivation(x, training);
            gradScale = WeightedLayer.channelDot(gradOut, pre, scale.length);
        }
        List<float[]> grads = new ArrayList<>(List.of(weights.paramGradients(gw, gradScale)));
        if (bias != null) {
            float[] gb = new float[outFeatures];
            float[] g = gradOut.data();
            for (int i = 0; i < g.length; i++) {
                gb[i % outFeatures] += g[i];
            }
            grads.add(gb);
        }
        return new Gradients(new Tensor[] {new Tensor(gx, x.shape())}, grads.toArray(new float[0][]), gw);
    }

    @Override
    public List<Param> params() {
        List<Param> p = new ArrayList<>(weights.params());
        if (bias != null) {
            p.add(new Param("bias", bias, false));
        }
        return p;
    }
}
