package org.bfabench.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A way of building and training a model that should resist bit flips (8-bit quantization, binary
 * weights, a complete BNN, RA-BNN Early-Growth, …).
 *
 * <p>Contract: {@link #train} is deterministic in its context (same seed, same data, same options →
 * same stored weights); {@link #load} of a file written by {@link DefendedModel#save} gives a model with
 * identical predictions and identical stored codes. The harness caches trained models, so a defense
 * must change {@link #version()} whenever training could produce different numbers.
 */
public interface Defense extends Component {

    /** Trains a model. Throws {@link BenchException} for settings it cannot honour. */
    DefendedModel train(TrainingContext context);

    /** Loads a model written by {@link DefendedModel#save}; a corrupt or foreign file is a {@link BenchException}. */
    DefendedModel load(ModelContext context, Path file);

    /** False when this defense cannot build {@code architecture} (the grid records the cell as N/A). */
    default boolean supports(ModelArchitecture architecture) {
        return true;
    }

    /**
     * Every array {@link #importWeights} needs for this architecture, in network order (SPI 1.1).
     * Default: import is not supported.
     */
    default List<ParameterSpec> parameters(ModelContext context) {
        throw new BenchException("defense '" + id() + "' cannot import external weights; use a defense that can"
                + " (for example quantized-8bit)");
    }

    /**
     * Builds a model from externally trained float weights (SPI 1.1): {@code arrays} holds one entry per
     * {@link #parameters} name with exactly that shape (extra entries are ignored). The defense stores them
     * as it would store its own trained weights (a quantized defense quantizes them with its own quantizer,
     * ALGORITHMS.md §1), so the result is attacked and saved like a trained model. A missing array or a
     * wrong shape is a {@link BenchException} naming the array and both shapes. Default: not supported.
     */
    default DefendedModel importWeights(ModelContext context, Map<String, WeightArray> arrays) {
        throw new BenchException("defense '" + id() + "' cannot import external weights; use a defense that can"
                + " (for example quantized-8bit)");
    }

    /**
     * Builds a model from externally quantized weights (SPI 1.2): as {@link #importWeights(ModelContext, Map)},
     * except that every attackable parameter named in {@code steps} is given in {@code arrays} as the integer
     * codes to store (ALGORITHMS.md §1: N-bit two's complement, −2^(N−1) … 2^(N−1) − 1; for a binary layer
     * −1 or +1, stored as bit 0 or 1) and {@code steps} holds its step Δ (forward uses code·Δ): one value,
     * or one per scale entry the layer has. The stored codes and step are exactly the given ones; a code
     * that is not an integer or does not fit is a {@link BenchException} naming the array, the index, the
     * value and the range. Parameters not in {@code steps} are imported as floats. Default: with no steps,
     * {@link #importWeights(ModelContext, Map)}; otherwise not supported.
     */
    default DefendedModel importWeights(ModelContext context, Map<String, WeightArray> arrays,
            Map<String, WeightArray> steps) {
        if (steps.isEmpty()) {
            return importWeights(context, arrays);
        }
        throw new BenchException("defense '" + id() + "' cannot import integer codes (" + String.join(", ", steps.keySet())
                + "); give float weights instead, or import into quantized-8bit, quantized-4bit or binary-weights");
    }
}
