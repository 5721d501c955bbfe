package org.bfabench.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bfabench.harness.plugin.PluginDiscovery;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.plugin.TrustedPlugins;
import org.bfabench.spi.BenchException;
import picocli.CommandLine.Option;

/** Options shared by every command that loads plugins. */
final class PluginOptions {
    static final Path DEFAULT_DIR = Path.of("plugins-ext");

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Directory of third-party plugin jars (one plugin per jar or per sub-directory of jars). "
                    + "Default: plugins-ext in the current directory, if it exists.")
    Path dir;

    @Option(names = "--trusted-plugins", paramLabel = "FILE",
            description = "Load only plugin jars whose SHA-256 is listed in FILE (sha256sum format); others are "
                    + "refused before any of their classes load.")
    Path trusted;

    @Option(names = "--strict-plugins", description = "Treat any plugin problem as an error (exit 2) instead of a warning.")
    boolean strict;

    /** Discovers plugins and prints every problem as a warning (or fails with --strict-plugins). */
    PluginRegistry discover(Session session) {
        Path pluginsDir = dir == null ? DEFAULT_DIR : dir;
        if (dir != null && !Files.isDirectory(dir)) {
            throw new BenchException("--plugins " + dir + ": no such directory; create it and put plugin jars in it,"
                    + " or leave the option out");
        }
        Optional<TrustedPlugins> trust = Optional.ofNullable(trusted).map(TrustedPlugins::read);
        PluginRegistry registry = PluginDiscovery.discover(Optional.of(pluginsDir), trust);
        registry.problems().forEach(session::warn);
        if (strict && !registry.problems().isEmpty()) {
            throw new BenchException(registry.problems().size() + " plugin problem(s) and --strict-plugins is set; "
                    + "fix or remove the plugins named above");
        }
        return registry;
    }
}
