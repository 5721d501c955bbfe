package org.bfabench.harness.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;

/**
 * Accepts the components of instantiated plugins, validating ids and refusing duplicates across all
 * plugins and kinds. Guice's MapBinder would silently merge two identical bindings and fail late on
 * different ones, so uniqueness is checked here, with both sources named in the problem line.
 */
final class ComponentCollector {
    private final Map<String, LoadedComponent<DatasetProvider>> datasets = new LinkedHashMap<>();
    private final Map<String, LoadedComponent<ModelArchitecture>> architectures = new LinkedHashMap<>();
    private final Map<String, LoadedComponent<Defense>> defenses = new LinkedHashMap<>();
    private final Map<String, LoadedComponent<Attack>> attacks = new LinkedHashMap<>();
    /** id → "kind from source (plugin class)", across every kind. */
    private final Map<String, String> owners = new HashMap<>();
    private final List<PluginReportRow> report = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    void problem(String line) {
        problems.add(line);
    }

    /**
     * Adds every component of {@code plugin}, which has already passed the SPI version check. A
     * component with a bad id or an id already taken is refused alone; the plugin's other components
     * still load.
     */
    void addPlugin(BenchPlugin plugin, int spiVersion, String source, ClassLoader loader) {
        String who = source + " (" + plugin.getClass().getName() + ")";
        addAll("dataset", who, plugin, plugin::datasets, spiVersion, source, loader, datasets);
        addAll("model", who, plugin, plugin::architectures, spiVersion, source, loader, architectures);
        addAll("defense", who, plugin, plugin::defenses, spiVersion, source, loader, defenses);
        addAll("attack", who, plugin, plugin::attacks, spiVersion, source, loader, attacks);
    }

    private <C extends Component> void addAll(String kind, String who, BenchPlugin plugin,
            Supplier<List<C>> list, int spiVersion, String source, ClassLoader loader,
            Map<String, LoadedComponent<C>> into) {
        List<C> components;
        try {
            components = PluginDiscovery.withLoader(loader, list);
        } catch (RuntimeException | LinkageError e) {
            problems.add(who + ": its " + kind + " list could not be read: " + PluginDiscovery.describe(e)
                    + "; fix or remove the plugin");
            return;
        }
        if (components == null) {
            problems.add(who + ": returned null instead of a " + kind + " list; fix the plugin");
            return;
        }
        for (C c : components) {
            add(kind, who, c, spiVersion, source, loader, into);
        }
    }

    private <C extends Component> void add(String kind, String who, C c, int spiVersion, String source,
            ClassLoader loader, Map<String, LoadedComponent<C>> into) {
        if (c == null) {
            problems.add(who + ": its " + kind + " list contains null; fix the plugin");
            return;
        }
        String id;
        String version;
        String description;
        try {
            id = PluginDiscovery.withLoader(loader, c::id);
            version = PluginDiscovery.withLoader(loader, c::version);
            description = PluginDiscovery.withLoader(loader, c::description);
        } catch (RuntimeException | LinkageError e) {
            problems.add(who + ": " + kind + " " + c.getClass().getName() + " failed to report its id/version: "
                    + PluginDiscovery.describe(e) + "; component skipped");
            return;
        }
        if (id == null || !Component.ID_PATTERN.matcher(id).matches()) {
            problems.add(who + ": " + kind + " id '" + id + "' of " + c.getClass().getName() + " is invalid (ids are "
                    + "lower-case letters and digits separated by single dashes, e.g. 'my-defense'); component skipped");
            return;
        }
        if (version == null || version.isBlank()) {
            problems.add(who + ": " + kind + " '" + id + "' has a blank version (the version goes into every cache "
                    + "key; return e.g. \"1.0.0\"); component skipped");
            return;
        }
        String owner = owners.get(id);
        if (owner != null) {
            problems.add(who + ": " + kind + " id '" + id + "' is already taken by the " + owner
                    + "; ids must be unique across all plugins — rename one; component skipped");
            return;
        }
        owners.put(id, kind + " from " + who);
        into.put(id, new LoadedComponent<>(c, source, loader));
        report.add(new PluginReportRow(id, kind, version, source, spiVersion,
                description == null ? "" : description.strip().replaceAll("\\s+", " ")));
    }

    int componentCount() {
        return report.size();
    }

    PluginRegistry build() {
        return new DiscoveredPlugins(datasets, architectures, defenses, attacks, report, problems);
    }
}
