package org.bfabench.harness.plugin;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bfabench.spi.Attack;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;

/** The immutable result of {@link PluginDiscovery#discover()}; maps iterate in id order. */
record DiscoveredPlugins(Map<String, LoadedComponent<DatasetProvider>> datasets,
        Map<String, LoadedComponent<ModelArchitecture>> architectures,
        Map<String, LoadedComponent<Defense>> defenses,
        Map<String, LoadedComponent<Attack>> attacks,
        List<PluginReportRow> report,
        List<String> problems) implements PluginRegistry {

    DiscoveredPlugins {
        datasets = sorted(datasets);
        architectures = sorted(architectures);
        defenses = sorted(defenses);
        attacks = sorted(attacks);
        report = List.copyOf(report);
        problems = List.copyOf(problems);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
