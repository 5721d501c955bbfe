package org.bfabench.harness.grid;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Defense;

/**
 * Resolves a grid's {@code imported:<name>} model entries to the models {@code bfabench import} stored
 * under the run's cache directory, before any data is loaded, so that a wrong name or an import the grid
 * cannot run fails at once with one line.
 */
public final class ImportedModels {
    private ImportedModels() {
    }

    /**
     * The import of every {@code imported:<name>} entry of {@code grid}, by entry id. Throws a
     * {@link BenchException} for an unknown name (listing the known ones), an import whose dataset the grid
     * does not list, an architecture or defense no loaded plugin provides, or a defense whose version
     * changed since the import (its stored codes might no longer be what that version would store).
     */
    public static Map<String, ImportedModel> resolve(GridSpec grid, PluginRegistry registry, Path cacheDir) {
        Map<String, ImportedModel> out = new LinkedHashMap<>();
        for (ComponentRef m : grid.models()) {
            if (m.importedName().isEmpty()) {
                continue;
            }
            ImportedModel imp;
            try {
                imp = ImportedModel.read(cacheDir, m.importedName().get());
            } catch (BenchException e) {
                throw new BenchException("grid '" + grid.name() + "': models entry '" + m.id() + "': " + e.getMessage(), e);
            }
            String where = "grid '" + grid.name() + "': imported model '" + imp.name() + "'";
            if (grid.datasets().stream().noneMatch(d -> d.id().equals(imp.dataset()))) {
                throw new BenchException(where + " was imported for dataset '" + imp.dataset()
                        + "', which the grid does not list (datasets: " + grid.datasets().stream().map(ComponentRef::id)
                        .collect(Collectors.joining(", ")) + "); add '" + imp.dataset() + "' to datasets or drop the entry");
            }
            if (!registry.architectures().containsKey(imp.model())) {
                throw new BenchException(where + " needs model '" + imp.model() + "', which no loaded plugin provides;"
                        + " add its plugin jar to the plugins directory");
            }
            LoadedComponent<Defense> defense = registry.defenses().get(imp.defense());
            if (defense == null) {
                throw new BenchException(where + " needs defense '" + imp.defense() + "', which no loaded plugin provides;"
                        + " add its plugin jar to the plugins directory");
            }
            String loaded = defense.call(() -> defense.component().version());
            if (!loaded.equals(imp.defenseVersion())) {
                throw new BenchException(where + " was stored by " + imp.defense() + "@" + imp.defenseVersion() + " but "
                        + imp.defense() + "@" + loaded + " is loaded; import the weights again with 'bfabench import'");
            }
            out.put(m.id(), imp);
        }
        return out;
    }
}
