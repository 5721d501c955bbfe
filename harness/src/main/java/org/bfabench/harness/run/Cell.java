package org.bfabench.harness.run;

import java.util.Optional;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.weights.ImportedModel;

/**
 * One planned cell: which components, which seeds, and its content addresses.
 *
 * @param dataset  dataset entry of the grid
 * @param model    model entry (for an {@code imported:<name>} entry: the import's architecture and options)
 * @param defense  defense entry
 * @param attack   attack entry
 * @param config   resolved configuration (versions, dataset hash, budgets)
 * @param modelKey content address of the trained model
 * @param key      content address of the cell
 * @param imported the stored import this cell attacks instead of training a model
 */
record Cell(ComponentRef dataset, ComponentRef model, ComponentRef defense, ComponentRef attack, CellConfig config,
        String modelKey, String key, Optional<ImportedModel> imported) {

    /** {@code fashion-mnist/mlp/quantized-8bit/pbfa seed 1}, for the console and logs. */
    String label() {
        return config.dataset().id() + "/" + config.model().id() + "/" + config.defense().id() + "/"
                + config.attack().id() + " seed " + config.seedLabel();
    }
}
