package org.bfabench.defenses.rabnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.memory.WeightMemory;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.WeightKind;

/**
 * Binary weights of a candidate (widened) convolution during Early-Growth's mask search (RA-BNN §4.2;
 * ALGORITHMS.md §3 step 3): the complete-BNN weights sign(W_c)·α_c multiplied by the channel's hard
 * Gumbel-Sigmoid mask m_c, so a masked channel outputs exactly zero.
 *
 * <p>Convolutions of one width group (a ResNet stage) share one mask. The first of them — the
 * <em>owner</em> — draws the sample each step and exposes the logits as its parameter; backward runs in
 * reverse network order, so by the time the owner's gradients are requested every member has added its
 * ∂L/∂m to the shared mask.
 */
final class MaskedChannelSignWeights implements WeightKind {
    private final ChannelSignWeights inner;
    private final GumbelSigmoidMask mask;
    private final boolean owner;
    private final double maskL1;

    MaskedChannelSignWeights(ChannelSignWeights inner, GumbelSigmoidMask mask, boolean owner, double maskL1) {
        this.inner = inner;
        this.mask = mask;
        this.owner = owner;
        this.maskL1 = maskL1;
    }

    @Override
    public float[] base(boolean training) {
        return inner.base(training);
    }

    @Override
    public float[] scale(boolean training) {
        float[] alpha = inner.scale(training);
        float[] m = training ? mask.current() : mask.deterministicMask();
        float[] s = new float[alpha.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = alpha[c] * m[c];
        }
        return s;
    }

    @Override
    public List<Param> params() {
        List<Param> p = new ArrayList<>(inner.params());
        if (owner) {
            p.add(new Param("mask", mask.logits(), false));
        }
        return p;
    }

    @Override
    public float[][] paramGradients(float[] gradBase, float[] gradScale) {
        if (gradScale == null) {
            return appendMask(inner.paramGradients(gradBase, null));
        }
        // scale = α·m: ∂L/∂α = ∂L/∂scale · m and ∂L/∂m = ∂L/∂scale · α
        float[] alpha = inner.scale(true);
        float[] m = mask.current();
        float[] gAlpha = new float[gradScale.length];
        float[] gMask = new float[gradScale.length];
        for (int c = 0; c < gradScale.length; c++) {
            gAlpha[c] = gradScale[c] * m[c];
            gMask[c] = gradScale[c] * alpha[c];
        }
        mask.backward(gMask);
        return appendMask(inner.paramGradients(gradBase, gAlpha));
    }

    private float[][] appendMask(float[][] innerGrads) {
        if (!owner) {
            return innerGrads;
        }
        mask.addL1OnSigmoid(maskL1);
        float[][] all = java.util.Arrays.copyOf(innerGrads, innerGrads.length + 1);
        all[innerGrads.length] = mask.logitGradient().clone();
        mask.zeroGrad();
        return all;
    }

    @Override
    public boolean learnableScale() {
        return true;
    }

    @Override
    public void startTrainingStep(Random rng) {
        if (owner) {
            mask.sample(rng);
        }
    }

    @Override
    public void freeze() {
        throw new UnsupportedOperationException("a growth candidate is never frozen: stage 2 retrains from scratch");
    }

    @Override
    public boolean frozen() {
        return false;
    }

    @Override
    public Optional<WeightMemory> memory() {
        return Optional.empty();
    }

    @Override
    public void flip(int index, int bit) {
        throw new UnsupportedOperationException("a growth candidate has no attack surface");
    }

    @Override
    public void reload() {
        throw new UnsupportedOperationException("a growth candidate has no attack surface");
    }

    @Override
    public int sideParameters() {
        return inner.sideParameters() + (owner ? mask.channels() : 0);
    }

    @Override
    public String kind() {
        return "binary-channel-scale-masked";
    }

    @Override
    public Map<String, float[]> frozenState() {
        throw new UnsupportedOperationException("a growth candidate is never saved");
    }

    @Override
    public void loadFrozen(Map<String, float[]> state) {
        throw new UnsupportedOperationException("a growth candidate is never loaded");
    }
}
