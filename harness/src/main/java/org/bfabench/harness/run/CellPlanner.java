package org.bfabench.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.grid.SeedPair;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.ComponentVersion;
import org.bfabench.spi.Component;
import org.bfabench.spi.Dataset;

/**
 * Expands a grid into its cells, in grid order with the attacks of one trained model adjacent
 * (dataset, model, defense, seeds, attack), so a model is trained once and attacked by each attack.
 */
final class CellPlanner {
    private CellPlanner() {
    }

    static List<Cell> plan(GridSpec grid, PluginRegistry registry, Map<String, Dataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (ComponentRef d : grid.datasets()) {
            Dataset data = datasets.get(d.id());
            ComponentVersion dv = version(registry.datasets().get(d.id()), d);
            double stop = grid.attack().stopAccuracyFor(data.numClasses());
            for (ComponentRef m : grid.models()) {
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
                            cells.add(new Cell(d, m, f, a, config, modelKey, CellKeys.cellKey(modelKey, config)));
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static ComponentVersion version(LoadedComponent<? extends Component> loaded, ComponentRef ref) {
        return new ComponentVersion(ref.id(), loaded.call(() -> loaded.component().version()), ref.options().asMap());
    }
}
