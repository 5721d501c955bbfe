package org.bfabench.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.TraceCsv;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.stats.Summary;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.WeightSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bfabench attack}: one imported model against one attack over several seeds, with the trace
 * format and stopping rule of a grid cell (automatic stop at random guess + 1 point, restore of the clean
 * weights before every seed).
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Attack one model stored by 'bfabench import' with one attack for several seeds; print the "
                + "flips per seed and their summary, write DIR/attacks/<name>/<attack>.csv and one trace per seed.")
final class AttackCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--model-file", required = true, paramLabel = "NAME|FILE.npz",
            description = "A name in DIR/.bfabench/cache/imported/ or a model .npz with its import .json beside it.")
    String modelFile;

    @Option(names = "--attack", required = true, paramLabel = "ID", description = "Attack id, e.g. pbfa or random-flip.")
    String attack;

    @Option(names = "--attack-option", paramLabel = "KEY=VALUE", description = "An attack option (repeatable; VALUE is YAML).")
    List<String> attackOptions = List.of();

    @Option(names = "--seeds", paramLabel = "A..B|A,B,...", defaultValue = "0..4",
            description = "Attack seeds, e.g. 0..4 or 1,7. Default: ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "100", description = "Flip budget per seed. Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--eval-size", paramLabel = "N", defaultValue = "1000",
            description = "Test images accuracy is measured on after every flip (0 = all). Default: ${DEFAULT-VALUE}.")
    int evalSize;

    @Option(names = "--stop-accuracy", paramLabel = "X",
            description = "Stop when accuracy (0..1) is at or below X. Default: 1/classes + 0.01, as in grids.")
    Double stopAccuracy;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Where .bfabench/ (the model cache) is and attacks/ goes. Default: the current directory.")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Look for the dataset here first.")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a clear message if data is missing.")
    boolean offline;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    AttackCommand(Session session) {
        this.session = session;
    }

    static List<Long> parseSeeds(String s) {
        List<Long> out = new ArrayList<>();
        try {
            if (s.contains("..")) {
                String[] ab = s.split("\\.\\.", -1);
                long a = Long.parseLong(ab[0].trim());
                long b = Long.parseLong(ab[1].trim());
                if (ab.length != 2 || b < a || b - a >= 10_000) {
                    throw new NumberFormatException();
                }
                for (long v = a; v <= b; v++) {
                    out.add(v);
                }
            } else {
                for (String p : s.split(",")) {
                    out.add(Long.parseLong(p.trim()));
                }
            }
        } catch (RuntimeException e) {
            throw new BenchException("--seeds '" + s + "': write a range A..B (A <= B) or a list A,B,C of integers");
        }
        return out;
    }

    @Override
    public Integer call() throws IOException {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        List<Long> seedList = parseSeeds(seeds);
        if (budget <= 0 || evalSize < 0) {
            throw new BenchException("--budget must be positive and --eval-size at least 0 (0 = the whole test split)");
        }
        Path cacheDir = outDir.resolve(".bfabench").resolve("cache");
        Path npz = modelFile.endsWith(".npz") ? Path.of(modelFile) : ImportedModel.modelFile(cacheDir, modelFile);
        ImportedModel meta = modelFile.endsWith(".npz")
                ? ImportedModel.besideModelFile(npz).orElseThrow(() -> new BenchException("--model-file " + modelFile
                        + ": no " + npz + " with its import .json beside it; store the model with 'bfabench import' first"))
                : ImportedModel.read(cacheDir, modelFile);
        String name = meta.name();
        PluginRegistry registry = plugins.discover(session);
        LoadedComponent<ModelArchitecture> arch = ModelSelection.pick(registry.architectures(), meta.model(), "model");
        LoadedComponent<Defense> defense = ModelSelection.pick(registry.defenses(), meta.defense(), "defense");
        LoadedComponent<Attack> att = ModelSelection.pick(registry.attacks(), attack, "attack");
        Dataset dataset = ModelSelection.loadDataset(registry, meta.dataset(), dataDir, offline, outDir, session);
        ModelContext ctx = new ModelContext(arch.component(), Options.of(meta.modelOptions()), dataset.inputShape(),
                dataset.numClasses(), Options.empty());
        Options options = ModelSelection.parseOptions("--attack-option", attackOptions);
        int evalImages = evalSize == 0 ? dataset.test().size() : Math.min(evalSize, dataset.test().size());
        Batch evaluation = dataset.test().range(0, evalImages);
        double stop = stopAccuracy != null ? stopAccuracy : 1.0 / dataset.numClasses() + 0.01;
        Path dir = outDir.resolve("attacks").resolve(name);
        List<String> rows = new ArrayList<>(List.of("seed,flips,censored,stop_reason,clean_accuracy,final_accuracy,attack_seconds"));
        List<Double> flips = new ArrayList<>();
        try (DefendedModel model = defense.call(() -> defense.component().load(ctx, npz))) {
            AttackSurface surface = defense.call(model::attackSurface).orElseThrow(() -> new BenchException(
                    "defense '" + defense.id() + "' built a model without an attack surface; nothing to attack"));
            if (att.call(() -> att.component().needsGradients()) && !defense.call(surface::hasGradients)) {
                throw new BenchException("attack '" + attack + "' needs gradients; defense '" + defense.id() + "' provides none");
            }
            WeightSnapshot clean = defense.call(surface::snapshot);
            for (long seed : seedList) {
                defense.run(() -> surface.restore(clean));
                AttackContext ac = new AttackContext(surface, dataset.train(), evaluation, dataset.numClasses(), budget,
                        stop, seed, options, Progress.NONE);
                AttackTrace trace = att.call(() -> att.component().run(ac));
                AtomicFiles.write(dir.resolve(attack).resolve("seed-" + seed + ".csv.gz"), TraceCsv.gzip(trace.events()));
                flips.add((double) trace.flips());
                rows.add(String.format(Locale.ROOT, "%d,%d,%s,%s,%.6f,%.6f,%.3f", seed, trace.flips(), trace.censored(),
                        trace.stopReason(), trace.cleanAccuracy(), trace.finalAccuracy(), trace.attackNanos() / 1e9));
                session.out().printf(Locale.ROOT, "seed %d: %d flips%s, accuracy %.2f%% -> %.2f%%%n", seed, trace.flips(),
                        trace.censored() ? " (censored: " + trace.stopReason() + ")" : "", 100 * trace.cleanAccuracy(),
                        100 * trace.finalAccuracy());
            }
            defense.run(() -> surface.restore(clean));
        }
        Summary s = Summary.of(flips);
        AtomicFiles.write(dir.resolve(attack + ".csv"), (String.join("\n", rows) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        session.out().printf(Locale.ROOT, "%s vs %s: flips mean %.1f, std %s, median %.1f, min %.0f, max %.0f (%d seeds,"
                + " stop at %.2f%% on %d test images)%n", name, attack, s.mean(),
                s.std().isPresent() ? String.format(Locale.ROOT, "%.1f", s.std().getAsDouble()) : "n/a", s.median(), s.min(),
                s.max(), s.n(), 100 * stop, evalImages);
        session.out().println("written: " + dir.resolve(attack + ".csv"));
        return ExitCodes.OK;
    }
}
