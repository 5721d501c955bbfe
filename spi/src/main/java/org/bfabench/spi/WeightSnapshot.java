package org.bfabench.spi;

/**
 * An opaque copy of every stored code of an {@link AttackSurface}, restorable on the surface that
 * made it.
 */
public interface WeightSnapshot {
}
