package org.bfabench.harness.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.grid.SeedPair;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.ComponentVersion;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.Component;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands a grid into its cells, in grid order with the attacks of one trained model adjacent
 * (dataset, model, defense, seeds, attack), so a model is trained once and attacked by each attack.
 *
 * <p>An {@code imported:<name>} model entry gives cells only for its import's dataset and defense, one per
 * attack seed (the grid's {@code attack_seeds}, else its {@code seeds}): nothing is trained, so the
 * recorded training seed is the attack seed and epochs and batch size are 0.
 */
final class CellPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(CellPlanner.class);

    private CellPlanner() {
    }

    static List<Cell> plan(GridSpec grid, PluginRegistry registry, Map<String, Dataset> datasets) {
        return plan(grid, registry, datasets, Map.of());
    }

    /** @param imports the import of every {@code imported:<name>} model entry, by entry id */
    static List<Cell> plan(GridSpec grid, PluginRegistry registry, Map<String, Dataset> datasets,
            Map<String, ImportedModel> imports) {
        List<Cell> cells = new ArrayList<>();
        for (ComponentRef d : grid.datasets()) {
            Dataset data = datasets.get(d.id());
            ComponentVersion dv = version(registry.datasets().get(d.id()), d);
            double stop = grid.attack().stopAccuracyFor(data.numClasses());
            for (ComponentRef m : grid.models()) {
                if (m.importedName().isPresent()) {
                    ImportedModel imp = imports.get(m.id());
                    if (imp == null) {
                        throw new IllegalStateException("imported model entry " + m.id() + " was not resolved");
                    }
                    if (imp.dataset().equals(d.id())) {
                        cells.addAll(importedCells(grid, registry, d, dv, data, stop, imp));
                    }
                    continue;
                }
                ComponentVersion mv = version(registry.architectures().get(m.id()), m);
                for (ComponentRef f : grid.defenses()) {
                    ComponentVersion fv = version(registry.defenses().get(f.id()), f);
                    for (SeedPair seeds : grid.seedPairs()) {
                        for (ComponentRef a : grid.attacks()) {
                            ComponentVersion av = version(registry.attacks().get(a.id()), a);
                            CellConfig config = new CellConfig(grid.name(), grid.sha256(), grid.referenceDefense(), dv,
                                    data.sha256(), mv, fv, av, seeds.trainSeed(), seeds.attackSeed(),
                                    grid.training().epochs(), grid.training().batchSize(), grid.training().trainLimit(),
                                    grid.training().testLimit(), grid.flipBudget(a), grid.attack().evalSize(), stop);
                            String modelKey = CellKeys.modelKey(config);
                            cells.add(new Cell(d, m, f, a, config, modelKey, CellKeys.cellKey(modelKey, config),
                                    Optional.empty()));
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static List<Cell> importedCells(GridSpec grid, PluginRegistry registry, ComponentRef d, ComponentVersion dv,
            Dataset data, double stop, ImportedModel imp) {
        if (!imp.datasetSha256().isEmpty() && !imp.datasetSha256().equals(data.sha256())) {
            LOG.warn("imported model {} was evaluated on {} files with SHA-256 {}, this run reads {}", imp.name(),
                    imp.dataset(), imp.datasetSha256(), data.sha256());
        }
        ComponentRef arch = new ComponentRef(imp.model(), Options.of(imp.modelOptions()), java.util.OptionalInt.empty());
        ComponentRef defense = ComponentRef.of(imp.defense());
        ComponentVersion av = version(registry.architectures().get(imp.model()), arch);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("architecture", av.label());
        facts.put("architecture_options", av.options());
        facts.put("weights_sha256", imp.contentSha256());
        facts.put("training", "none (weights from bfabench import; seeds are attack seeds)");
        ComponentVersion mv = new ComponentVersion(ComponentRef.IMPORTED + imp.name(),
                "sha256-" + imp.contentSha256().substring(0, 12), facts);
        ComponentVersion fv = version(registry.defenses().get(imp.defense()), defense);
        Set<Long> attackSeeds = new LinkedHashSet<>();
        grid.seedPairs().forEach(p -> attackSeeds.add(p.attackSeed()));
        ComponentRef entry = ComponentRef.of(mv.id());
        List<Cell> cells = new ArrayList<>();
        String modelKey = null;
        for (long seed : attackSeeds) {
            for (ComponentRef a : grid.attacks()) {
                CellConfig config = new CellConfig(grid.name(), grid.sha256(), grid.referenceDefense(), dv, data.sha256(),
                        mv, fv, version(registry.attacks().get(a.id()), a), seed, seed, 0, 0,
                        grid.training().trainLimit(), grid.training().testLimit(), grid.flipBudget(a),
                        grid.attack().evalSize(), stop);
                modelKey = modelKey != null ? modelKey : CellKeys.importedModelKey(config);
                cells.add(new Cell(d, arch, defense, a, config, modelKey, CellKeys.cellKey(modelKey, config),
                        Optional.of(imp)));
            }
        }
        return cells;
    }

    private static ComponentVersion version(LoadedComponent<? extends Component> loaded, ComponentRef ref) {
        return new ComponentVersion(ref.id(), loaded.call(() -> loaded.component().version()), ref.options().asMap());
    }
}
