package org.bfabench.spi;

import java.util.List;

/**
 * Entry point of a plugin jar, discovered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.bfabench.spi.BenchPlugin}).
 *
 * <p>Every component kind has a default method returning an empty list, so a future SPI minor
 * version can add kinds without breaking plugins built against this one. Implementations must have a
 * public no-argument constructor, must be cheap to construct (no training, no I/O) and must return
 * the same components on every call.
 */
public interface BenchPlugin {

    /**
     * The SPI major this plugin was compiled against. Implement it as {@code return SpiVersion.MAJOR;}
     * — the constant is inlined at compile time, which is what makes the check meaningful.
     */
    int spiVersion();

    /** Datasets this plugin provides. */
    default List<DatasetProvider> datasets() {
        return List.of();
    }

    /** Network architectures this plugin provides. */
    default List<ModelArchitecture> architectures() {
        return List.of();
    }

    /** Defenses (ways of building and training a model) this plugin provides. */
    default List<Defense> defenses() {
        return List.of();
    }

    /** Attacks this plugin provides. */
    default List<Attack> attacks() {
        return List.of();
    }
}
