package org.bfabench.nn.weights;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.memory.WeightMemory;

/** Plain float32 weights: not part of any attack surface (useful as a baseline and in tests). */
public final class FloatWeights implements WeightKind {
    private static final float[] ONE = {1f};
    private final float[] w;

    public FloatWeights(float[] init) {
        this.w = init;
    }

    @Override
    public float[] base(boolean training) {
        return w;
    }

    @Override
    public float[] scale(boolean training) {
        return ONE.clone();
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("weight", w, true));
    }

    @Override
    public float[][] paramGradients(float[] gradBase, float[] gradScale) {
        return new float[][] {gradBase};
    }

    @Override
    public boolean learnableScale() {
        return false;
    }

    @Override
    public void freeze() {
    }

    @Override
    public boolean frozen() {
        return true;
    }

    @Override
    public Optional<WeightMemory> memory() {
        return Optional.empty();
    }

    @Override
    public void flip(int index, int bit) {
        throw new UnsupportedOperationException("float weights have no bit memory");
    }

    @Override
    public void reload() {
    }

    @Override
    public int sideParameters() {
        return w.length;
    }

    @Override
    public String kind() {
        return "float32";
    }

    @Override
    public Map<String, float[]> frozenState() {
        return Map.of("weight", w.clone());
    }

    @Override
    public void loadFrozen(Map<String, float[]> state) {
        float[] v = state.get("weight");
        if (v == null || v.length != w.length) {
            throw new IllegalArgumentException("float state does not match a layer of " + w.length + " weights");
        }
        System.arraycopy(v, 0, w, 0, w.length);
    }
}
