package org.bfabench.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A trained model in inference mode (batch-norm statistics frozen).
 *
 * <p>Owns native memory: callers close it. Not thread-safe: one attack at a time.
 */
public interface DefendedModel extends AutoCloseable {

    /** Predicted class of every image of {@code batch}. */
    int[] predict(Batch batch);

    Footprint footprint();

    /**
     * Facts about this model worth a leaderboard column, e.g. {@code widths -> 48-96-186}. Keys are
     * lower-case snake case; values are single-line strings.
     */
    default Map<String, String> facts() {
        return Map.of();
    }

    /** Writes the model in the defense's documented format (never Java serialization). */
    void save(Path file);

    /** The bit memory attacks operate on, or empty if this model has none. */
    Optional<AttackSurface> attackSurface();

    @Override
    void close();
}
