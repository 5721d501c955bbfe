package org.bfabench.harness.plugin;

import java.util.List;
import java.util.Map;
import org.bfabench.spi.Attack;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;

/**
 * Every component discovered at start-up, keyed by id (ids are unique across kinds' plugins).
 * Maps iterate in id order so that grids and reports are deterministic.
 */
public interface PluginRegistry {

    Map<String, LoadedComponent<DatasetProvider>> datasets();

    Map<String, LoadedComponent<ModelArchitecture>> architectures();

    Map<String, LoadedComponent<Defense>> defenses();

    Map<String, LoadedComponent<Attack>> attacks();

    /** One row per loaded component, for {@code bfabench list}. */
    List<PluginReportRow> report();

    /** Problems met while loading third-party plugins (each one clear line); built-ins still load. */
    List<String> problems();
}
