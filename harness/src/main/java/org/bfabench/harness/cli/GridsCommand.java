package org.bfabench.harness.cli;

import java.util.concurrent.Callable;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import picocli.CommandLine.Command;

/** {@code bfabench grids}: the bundled grid names with their descriptions. */
@Command(name = "grids", mixinStandardHelpOptions = true,
        description = "List the bundled grids (usable as 'bfabench run --grid NAME').")
final class GridsCommand implements Callable<Integer> {
    private final Session session;

    GridsCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        int width = GridLoader.bundledNames().stream().mapToInt(String::length).max().orElse(0);
        for (String name : GridLoader.bundledNames()) {
            GridSpec grid = GridLoader.load(name);
            session.out().println(name + " ".repeat(width - name.length() + 2) + grid.description());
        }
        return ExitCodes.OK;
    }
}
