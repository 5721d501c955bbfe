package org.bfabench.harness.cli;

import java.util.concurrent.Callable;
import org.bfabench.harness.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bfabench list}: the "plugins loaded" report. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every loaded component (datasets, models, defenses, attacks) with its version, "
                + "source jar and SPI version; plugin problems are printed as warnings.")
final class ListCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    ListCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        PluginRegistry registry = plugins.discover(session);
        session.out().print(PluginTable.format(registry.report()));
        return ExitCodes.OK;
    }
}
