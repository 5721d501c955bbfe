package org.bfabench.nn.surface;

import org.bfabench.spi.WeightSnapshot;

/** Copy of every layer's memory words, tagged with the surface that made it. */
record NetworkSnapshot(NetworkSurface owner, long[][] words) implements WeightSnapshot {
}
