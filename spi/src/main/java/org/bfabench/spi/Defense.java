package org.bfabench.spi;

import java.nio.file.Path;

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
}
