package org.bfabench.nn.weights;

import org.bfabench.nn.memory.TwosComplementMemory;
import org.bfabench.nn.memory.WeightMemory;
import org.bfabench.nn.quant.UniformQuantizer;

/**
 * N-bit quantization-aware weights (ALGORITHMS.md §1; He et al., CVPR 2020, §3; Rakin et al., ICCV 2019):
 * forward uses q·Δ with Δ recomputed from the latent weights at every training forward pass; backward is
 * the straight-through estimator ∂L/∂W = ∂L/∂(qΔ). Frozen: N-bit two's-complement codes and a fixed Δ.
 */
public final class QuantizedWeights extends LatentWeights {
    private final UniformQuantizer quantizer;

    public QuantizedWeights(int bits, float[] init, int outChannels) {
        super(init, outChannels);
        this.quantizer = new UniformQuantizer(bits);
    }

    public int bits() {
        return quantizer.bits();
    }

    @Override
    protected float[] trainingBase() {
        return quantizer.codes(latent, quantizer.step(latent));
    }

    @Override
    protected float[] trainingScale() {
        return new float[] {quantizer.step(latent)};
    }

    @Override
    protected WeightMemory encode(float[] base) {
        int[] c = new int[base.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (int) base[i];
        }
        return TwosComplementMemory.of(quantizer.bits(), c);
    }

    @Override
    protected WeightMemory emptyMemory(int size) {
        return new TwosComplementMemory(quantizer.bits(), size);
    }

    @Override
    protected void store(WeightMemory m, int index, float code) {
        ((TwosComplementMemory) m).set(index, Math.round(code));
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
        return "int" + quantizer.bits();
    }
}
