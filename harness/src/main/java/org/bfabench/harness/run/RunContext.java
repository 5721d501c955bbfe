package org.bfabench.harness.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.progress.ProgressFactory;
import org.bfabench.harness.store.Provenance;
import org.bfabench.harness.store.ResultStore;

/** What every part of one grid run shares. */
record RunContext(PluginRegistry registry, GridSpec grid, RunOptions options, ResultStore store,
        ProgressFactory progress, PrintStream console, Provenance provenance) {

    Optional<Duration> timeout() {
        return options.cellTimeout().or(grid::cellTimeout);
    }

    Path modelCache() {
        return options.cacheDir().resolve("models");
    }
}
