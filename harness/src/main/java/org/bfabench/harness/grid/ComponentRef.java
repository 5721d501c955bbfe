package org.bfabench.harness.grid;

import java.util.OptionalInt;
import org.bfabench.spi.Options;

/**
 * One component as a grid lists it.
 *
 * @param id         the plugin component's id
 * @param options    its options (passed to the component verbatim)
 * @param flipBudget for attacks only: a budget overriding the grid's {@code attack.flip_budget}
 */
public record ComponentRef(String id, Options options, OptionalInt flipBudget) {

    public static ComponentRef of(String id) {
        return new ComponentRef(id, Options.empty(), OptionalInt.empty());
    }
}
