package org.bfabench.nn.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.memory.WeightMemory;

/**
 * Shared mechanics of trainable weight kinds: latent float weights for training, then frozen codes in a
 * {@link WeightMemory} plus a frozen scale.
 */
abstract class LatentWeights implements WeightKind {
    protected final float[] latent;
    protected final int outChannels;
    private WeightMemory memory;
    private float[] frozenBase;
    private float[] frozenScale;

    LatentWeights(float[] init, int outChannels) {
        this.latent = init;
        this.outChannels = outChannels;
    }

    /** Base computed from the latent weights. */
    protected abstract float[] trainingBase();

    /** Scale computed from the latent weights (and learnable scales). */
    protected abstract float[] trainingScale();

    protected abstract WeightMemory encode(float[] base);

    protected abstract WeightMemory emptyMemory(int size);

    protected List<Param> extraParams() {
        return List.of();
    }

    @Override
    public final float[] base(boolean training) {
        if (frozenBase != null) {
            if (training) {
                throw new IllegalStateException("weights are frozen for attack; they cannot be trained");
            }
            return frozenBase;
        }
        return trainingBase();
    }

    @Override
    public final float[] scale(boolean training) {
        return frozenScale != null ? frozenScale : trainingScale();
    }

    @Override
    public final List<Param> params() {
        List<Param> p = new ArrayList<>();
        p.add(new Param("weight", latent, true));
        p.addAll(extraParams());
        return p;
    }

    @Override
    public final void freeze() {
        float[] base = trainingBase().clone();
        frozenScale = trainingScale().clone();
        memory = encode(base);
        frozenBase = memory.values();
    }

    @Override
    public final boolean frozen() {
        return memory != null;
    }

    @Override
    public final Optional<WeightMemory> memory() {
        return Optional.ofNullable(memory);
    }

    @Override
    public final void flip(int index, int bit) {
        requireFrozen();
        memory.flip(index, bit);
        frozenBase[index] = memory.code(index);
    }

    @Override
    public final void reload() {
        requireFrozen();
        frozenBase = memory.values();
    }

    private void requireFrozen() {
        if (memory == null) {
            throw new IllegalStateException("weights must be frozen before bits can be flipped");
        }
    }

    @Override
    public int sideParameters() {
        return scale(false).length;
    }

    @Override
    public final Map<String, float[]> frozenState() {
        requireFrozen();
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("codes", memory.values());
        m.put("scale", frozenScale.clone());
        return m;
    }

    @Override
    public final void loadFrozen(Map<String, float[]> state) {
        float[] codes = state.get("codes");
        float[] scale = state.get("scale");
        if (codes == null || scale == null || codes.length != latent.length || scale.length != trainingScale().length) {
            throw new IllegalArgumentException("frozen state does not match a " + kind() + " layer of " + latent.length
                    + " weights");
        }
        WeightMemory m = emptyMemory(codes.length);
        for (int i = 0; i < codes.length; i++) {
            store(m, i, codes[i]);
        }
        memory = m;
        frozenScale = scale.clone();
        frozenBase = m.values();
    }

    protected abstract void store(WeightMemory m, int index, float code);

    /** ∂L/∂W for an identity straight-through estimator through {@code W_eff = base·s}: ∂L/∂base / s. */
    protected final float[] divideByScale(float[] gradBase, float[] scale) {
        float[] g = new float[gradBase.length];
        int perChannel = gradBase.length / outChannels;
        for (int i = 0; i < g.length; i++) {
            float s = scale.length == 1 ? scale[0] : scale[i / perChannel];
            g[i] = s == 0f ? 0f : gradBase[i] / s;
        }
        return g;
    }
}
