package org.bfabench.defenses.rabnn;

import java.util.Map;
import org.bfabench.defenses.bnn.BnnNetworkBuilder;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.Shape;

/**
 * Stage 2 of Early-Growth (ALGORITHMS.md §3 "Retrain"): the plain complete BNN at the grown widths,
 * freshly initialised. Groups without a grown width keep their base width.
 */
final class GrownBnnBuilder extends BnnNetworkBuilder {
    private final Map<String, Integer> widths;

    GrownBnnBuilder(Shape input, long seed, Map<String, Integer> widths) {
        super(input, seed);
        this.widths = Map.copyOf(widths);
    }

    @Override
    protected int convWidth(String name, ConvSpec spec) {
        return widths.getOrDefault(spec.widthGroup(), spec.outChannels());
    }
}
