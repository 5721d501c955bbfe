package org.bfabench.harness.run;

import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.store.CellConfig;

/**
 * One planned cell: which components, which seeds, and its content addresses.
 *
 * @param dataset  dataset entry of the grid
 * @param model    model entry
 * @param defense  defense entry
 * @param attack   attack entry
 * @param config   resolved configuration (versions, dataset hash, budgets)
 * @param modelKey content address of the trained model
 * @param key      content address of the cell
 */
record Cell(ComponentRef dataset, ComponentRef model, ComponentRef defense, ComponentRef attack, CellConfig config,
        String modelKey, String key) {

    /** {@code fashion-mnist/mlp/quantized-8bit/pbfa seed 1}, for the console and logs. */
    String label() {
        return config.dataset().id() + "/" + config.model().id() + "/" + config.defense().id() + "/"
                + config.attack().id() + " seed " + config.seedLabel();
    }
}
