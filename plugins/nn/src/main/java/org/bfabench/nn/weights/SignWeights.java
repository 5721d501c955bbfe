package org.bfabench.nn.weights;

/**
 * Binary weights of binarization-aware training (He et al., CVPR 2020, §4; ALGORITHMS.md §2): sign(W)
 * with sign(0) = +1, one per-layer scale μ = mean|W| recomputed at every forward pass, identity
 * straight-through gradient ∂L/∂W = ∂L/∂(sign(W)·μ). Frozen: one bit per weight and a fixed μ.
 */
public final class SignWeights extends BinaryLatentWeights {

    public SignWeights(float[] init, int outChannels) {
        super(init, outChannels);
    }

    static float[] signs(float[] w) {
        float[] s = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = w[i] >= 0f ? 1f : -1f;
        }
        return s;
    }

    @Override
    protected float[] trainingScale() {
        double sum = 0;
        for (float v : latent) {
            sum += Math.abs(v);
        }
        return new float[] {(float) (sum / latent.length)};
    }

    @Override
    public float[][] paramGradients(float[] gradBase, float[] gradScale) {
        return new float[][] {divideByScale(gradBase, trainingScale())};
    }

    @Override
    public boolean learnableScale() {
        return false;
    }

    @Override
    public String kind() {
        return "binary-layer-scale";
    }
}
