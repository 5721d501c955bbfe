package org.bfabench.spi;

import java.util.List;

/**
 * The bit memory of a defended model: everything an attack may see and change.
 *
 * <p>Every conv and fully-connected layer (first and last included) is one {@link AttackableLayer};
 * biases, batch-norm parameters and scale factors are outside the surface. A stored weight is a code:
 * an N-bit two's-complement integer (N ≥ 2), or for a 1-bit layer the value +1 (stored bit 1) or −1
 * (stored bit 0). Step sizes and scales are frozen: a flip changes codes and nothing else.
 *
 * <p>Attacks see only this interface; they never learn which defense built the model.
 */
public interface AttackSurface {

    List<AttackableLayer> layers();

    /** The code of weight {@code index} of layer {@code layer} (for 1-bit layers +1 or −1). */
    int code(int layer, int index);

    /** Flips one stored bit and keeps it flipped. */
    void flip(BitFlip flip);

    /** False when the defense cannot provide gradients (gradient-based attacks are then N/A). */
    boolean hasGradients();

    WeightSnapshot snapshot();

    /** Restores every code to {@code snapshot}, which must come from this surface. */
    void restore(WeightSnapshot snapshot);

    /** An evaluator bound to {@code batch}; see {@link BatchEvaluator}. */
    BatchEvaluator evaluator(Batch batch);
}
