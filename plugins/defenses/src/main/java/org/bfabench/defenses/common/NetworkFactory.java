package org.bfabench.defenses.common;

import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/** Creates a defense's {@link GraphBuilder} for one network instance. */
@FunctionalInterface
public interface NetworkFactory {
    GraphBuilder builder(Shape input, long seed, Options defenseOptions);
}
