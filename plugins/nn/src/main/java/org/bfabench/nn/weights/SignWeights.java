package org.bfabench.nn.weights;

import org.bfabench.nn.memory.BinaryMemory;
import org.bfabench.nn.memory.WeightMemory;

/**
 * Binary weights of binarization-aware training (He et al., CVPR 2020, §4; ALGORITHMS.md §2): sign(W)
 * with sign(0) = +1, one per-layer scale μ = mean|W| recomputed at every forward pass, identity
 * straight-through gradient ∂L/∂W = ∂L/∂(sign(W)·μ). Frozen: one bit per weight and a fixed μ.
 */
public final class SignWeights extends LatentWeights {

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
    protected float[] trainingBase() {
        return signs(latent);
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
    protected WeightMemory encode(float[] base) {
        return BinaryMemory.ofSigns(base);
    }

    @Override
    protected WeightMemory emptyMemory(int size) {
        return new BinaryMemory(size);
    }

    @Override
    protected void store(WeightMemory m, int index, float code) {
        ((BinaryMemory) m).set(index, code > 0f);
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
