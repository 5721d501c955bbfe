package org.bfabench.nn.weights;

import java.util.List;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.memory.WeightMemory;

/**
 * What a convolution or linear layer's weights <em>are</em>: float, N-bit quantized, or binary.
 * A weighted layer computes {@code (x ⊛ base) · scale}, with {@code base} the values stored in memory
 * (integer codes, ±1, or floats) and {@code scale} one factor per output channel or one per layer. Keeping
 * the scale outside the kernel is what makes the float and XNOR paths of a binary layer bit-identical
 * (contracts.md) and what gives the gradient with respect to stored codes for free.
 *
 * <p>During training the base is derived from latent float weights at every forward pass; after
 * {@link #freeze()} it is read from a {@link WeightMemory} and only bit flips change it.
 */
public interface WeightKind {
    /** Values the kernel multiplies, in the layer's weight layout (OIHW or out×in). */
    float[] base(boolean training);

    /** Length 1 (per layer) or the number of output channels. */
    float[] scale(boolean training);

    /** Trainable parameters (latent weights first). */
    List<Param> params();

    /**
     * Maps ∂L/∂base and ∂L/∂scale (per entry of {@link #scale}) to gradients of {@link #params()}.
     * {@code gradScale} is null outside training (attack-time backward passes need code gradients only).
     */
    float[][] paramGradients(float[] gradBase, float[] gradScale);

    /** Whether {@link #paramGradients} uses ∂L/∂scale (so the layer must compute it). */
    boolean learnableScale();

    /** Fixes codes and scale from the latent weights; after this, training is refused. */
    void freeze();

    boolean frozen();

    /** The stored codes; only after {@link #freeze()}; empty for float weights. */
    java.util.Optional<WeightMemory> memory();

    /** Flips one stored bit and updates the base the kernel uses. */
    void flip(int index, int bit);

    /** Called after the memory was restored wholesale, to resynchronise the base. */
    void reload();

    /**
     * Called by the trainer before every training forward pass, with the run's seeded RNG. Kinds that
     * sample per step (e.g. Early-Growth's Gumbel-sigmoid channel mask multiplying {@link #scale}) draw
     * here, so forward and backward of one step see the same sample. Default: nothing.
     */
    default void startTrainingStep(java.util.Random rng) {
    }

    /** Full-precision values outside the attack surface (scales, steps) counted by the footprint. */
    int sideParameters();

    /** Kind name for manifests and reports, e.g. {@code int8}, {@code binary-channel}. */
    String kind();

    /** Frozen state as named arrays (codes, scale) for saving. */
    java.util.Map<String, float[]> frozenState();

    /** Restores a frozen state written by {@link #frozenState()}. */
    void loadFrozen(java.util.Map<String, float[]> state);
}
