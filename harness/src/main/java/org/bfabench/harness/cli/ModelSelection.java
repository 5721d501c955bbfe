package org.bfabench.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Component;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Options;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Option;

/** Options naming one model (architecture + options, defense, dataset), shared by describe and import. */
final class ModelSelection {
    @Option(names = "--model", required = true, paramLabel = "ID", description = "Architecture id, e.g. resnet20.")
    String model;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "An architecture option (repeatable); VALUE is YAML, e.g. shortcut=B or widths=[16,32,64].")
    List<String> modelOptions = List.of();

    @Option(names = "--defense", required = true, paramLabel = "ID", description = "Defense id, e.g. quantized-8bit.")
    String defense;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Look for the dataset here first (default: $BFABENCH_DATA, then system locations, cache, download).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a clear message if data is missing.")
    boolean offline;

    Options architectureOptions() {
        return parseOptions("--model-option", modelOptions);
    }

    /** KEY=VALUE pairs with YAML values (so numbers and lists keep their types, as in a grid file). */
    static Options parseOptions(String flag, List<String> pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BenchException(flag + " '" + kv + "': write KEY=VALUE, e.g. shortcut=B");
            }
            Object value;
            try {
                value = new Yaml(new SafeConstructor(new LoaderOptions())).load(kv.substring(eq + 1));
            } catch (YAMLException e) {
                throw new BenchException(flag + " '" + kv + "': the value is not valid YAML; quote it or fix it");
            }
            m.put(kv.substring(0, eq).trim(), value);
        }
        return Options.of(m);
    }

    static <C extends Component> LoadedComponent<C> pick(Map<String, LoadedComponent<C>> byId, String id, String what) {
        LoadedComponent<C> c = byId.get(id);
        if (c == null) {
            throw new BenchException("unknown " + what + " '" + id + "'; known: " + String.join(", ", byId.keySet())
                    + " (see 'bfabench list')");
        }
        return c;
    }

    Dataset loadDataset(PluginRegistry registry, String id, Path outDir, Session session) {
        return loadDataset(registry, id, dataDir, offline, outDir, session);
    }

    static Dataset loadDataset(PluginRegistry registry, String id, Path dataDir, boolean offline, Path outDir,
            Session session) {
        LoadedComponent<DatasetProvider> p = pick(registry.datasets(), id, "dataset");
        Optional<Path> dir = Optional.ofNullable(dataDir).or(() -> session.env("BFABENCH_DATA").map(Path::of));
        dir.filter(d -> !Files.isDirectory(d)).ifPresent(d -> {
            throw new BenchException("--data-dir " + d + ": no such directory; point it at the dataset files or leave it unset");
        });
        DatasetContext dc = new DatasetContext(dir.map(d -> d.toAbsolutePath().normalize()),
                outDir.resolve(".bfabench").resolve("cache").resolve("datasets").resolve(id), offline, Options.empty());
        return p.call(() -> p.component().load(dc));
    }
}
