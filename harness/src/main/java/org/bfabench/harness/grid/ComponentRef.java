package org.bfabench.harness.grid;

import java.util.Optional;
import java.util.OptionalInt;
import org.bfabench.spi.Options;

/**
 * One component as a grid lists it.
 *
 * @param id         the plugin component's id, or for a model {@code imported:<name>} (see {@link #importedName})
 * @param options    its options (passed to the component verbatim)
 * @param flipBudget for attacks only: a budget overriding the grid's {@code attack.flip_budget}
 */
public record ComponentRef(String id, Options options, OptionalInt flipBudget) {
    /** Prefix of a model entry naming a model stored by {@code bfabench import}. */
    public static final String IMPORTED = "imported:";

    public static ComponentRef of(String id) {
        return new ComponentRef(id, Options.empty(), OptionalInt.empty());
    }

    /** The import name of an {@code imported:<name>} model entry; empty for a plugin component. */
    public Optional<String> importedName() {
        return id.startsWith(IMPORTED) ? Optional.of(id.substring(IMPORTED.length())) : Optional.empty();
    }
}
