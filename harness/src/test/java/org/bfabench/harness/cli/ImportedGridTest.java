package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginDiscovery;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.harness.weights.NpzFile;
import org.bfabench.harness.weights.NpzWriter;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.TrainingBudget;
import org.bfabench.spi.TrainingContext;
import org.bfabench.spi.WeightArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained outside the grid, exported as a PyTorch state_dict, imported under a name and listed in a
 * grid as {@code imported:<name>} beside a built-in model, on the real Fashion-MNIST files.
 */
class ImportedGridTest {
    private static final String FMNIST = "/usr/share/datasets/fashion-mnist";
    private static final String GRID = """
            name: with-import
            datasets: [fashion-mnist]
            models: [mlp, imported:my-mlp]
            defenses: [quantized-8bit]
            attacks: [random-flip]
            seeds: [1, 2]
            training: {epochs: 1, batch_size: 64, train_limit: 500, test_limit: 400}
            attack: {flip_budget: 3, eval_size: 200}
            """;

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), tmp);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result importInto(Path out, Path npz, Path plugins) {
        return run("import", "--model", "mlp", "--defense", "quantized-8bit", "--dataset", "fashion-mnist", "--data-dir",
                FMNIST, "--offline", "--weights", npz.toString(), "--name", "my-mlp", "--test-limit", "400", "--out",
                out.toString(), "--plugins", plugins.toString());
    }

    private Result runGrid(Path grid, Path out, Path plugins, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--grid", grid.toString(), "--out", out.toString(),
                "--data-dir", FMNIST, "--offline", "--plugins", plugins.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static Map<String, CSVRecord> board(Path out) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(out.resolve("leaderboards/with-import.csv"))).getRecords().stream()
                .collect(Collectors.toMap(r -> r.get("model") + "/" + r.get("defense"), r -> r));
    }

    private static List<CellRecord> importedRecords(Path out) {
        return ResultStore.open(out.resolve(".bfabench/store/with-import")).readAll().stream()
                .filter(r -> r.config().model().id().equals("imported:my-mlp")).toList();
    }

    /** A quantized-8bit mlp trained on 1000 images, exported as a float PyTorch state_dict. */
    private Map<String, WeightArray> trainedStateDict(PluginRegistry registry) throws IOException {
        LoadedComponent<Defense> q8 = registry.defenses().get("quantized-8bit");
        ModelArchitecture mlp = registry.architectures().get("mlp").component();
        var provider = registry.datasets().get("fashion-mnist");
        Dataset data = provider.call(() -> provider.component().load(new DatasetContext(Optional.of(Path.of(FMNIST)),
                tmp.resolve("dc"), true, Options.empty())));
        TrainingContext tc = new TrainingContext(mlp, Options.empty(), data, new TrainingBudget(1, 64, 1000), 9L,
                Options.empty(), Progress.NONE, Files.createDirectories(tmp.resolve("work")),
                Files.createDirectories(tmp.resolve("cache")));
        ModelContext mc = new ModelContext(mlp, Options.empty(), data.inputShape(), data.numClasses(), Options.empty());
        Path saved = tmp.resolve("trained.npz");
        try (DefendedModel trained = q8.call(() -> q8.component().train(tc))) {
            q8.run(() -> trained.save(saved));
        }
        return ImportCommandTest.exportAsPyTorch(NpzFile.read(saved), q8.call(() -> q8.component().parameters(mc)));
    }

    @Test
    void anImportedModelGetsItsOwnBoardRowWithTheImportsCleanAccuracyAndShardsResumesAndReimportsLikeAnyCell()
            throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("no-plugins"));
        PluginRegistry registry = PluginDiscovery.discover(Optional.of(plugins), Optional.empty());
        Path weights = tmp.resolve("state_dict.npz");
        Map<String, WeightArray> stateDict = trainedStateDict(registry);
        NpzWriter.write(weights, stateDict);
        Path out = tmp.resolve("out");
        Result imp = importInto(out, weights, plugins);
        assertEquals(0, imp.exit(), imp.toString());
        ImportedModel record = ImportedModel.read(out.resolve(".bfabench/cache"), "my-mlp");
        assertTrue(record.cleanAccuracy() > 0.6, "an mlp trained on 1000 images beats 60%: " + record.cleanAccuracy());
        Path grid = Files.writeString(tmp.resolve("with-import.yaml"), GRID);

        Result first = runGrid(grid, out, plugins);
        assertEquals(0, first.exit(), first.toString());
        Map<String, CSVRecord> rows = board(out);
        assertEquals(Set.of("mlp/quantized-8bit", "imported:my-mlp/quantized-8bit"), rows.keySet());
        CSVRecord row = rows.get("imported:my-mlp/quantized-8bit");
        assertEquals("2", row.get("seeds"));
        assertEquals("ok", row.get("status"));
        assertEquals(String.format(Locale.ROOT, "%.2f", 100 * record.cleanAccuracy()), row.get("clean_acc_mean"));
        assertTrue(row.get("plugins").contains("imported:my-mlp@sha256-" + record.contentSha256().substring(0, 12)),
                row.get("plugins"));
        assertEquals("1;2", row.get("seed_list"));
        List<CellRecord> cells = importedRecords(out);
        assertEquals(2, cells.size());
        for (CellRecord c : cells) {
            assertEquals(CellStatus.OK, c.status());
            assertEquals(record.cleanAccuracy(), c.result().cleanAccuracy(), 0.0, "the same 400 test images");
            assertEquals(400, c.result().testImages());
            assertEquals(0, c.config().epochs(), "nothing trained");
            assertEquals(c.config().trainSeed(), c.config().attackSeed());
            assertEquals(record.contentSha256(), c.config().model().options().get("weights_sha256"));
            assertTrue(c.timing().modelFromCache());
        }
        assertEquals(1, cells.stream().map(CellRecord::modelKey).distinct().count(), "one loaded model for both seeds");
        Set<String> keys = cells.stream().map(CellRecord::key).collect(Collectors.toCollection(TreeSet::new));

        Result again = runGrid(grid, out, plugins);
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("(0 cells run, 4 reused, 0 failed"), again.toString());

        // the same cells split over two shard runs (0/2, 1/2) on two machines (each with a copy of the import) merge back
        Path a = tmp.resolve("shard-a");
        Path b = tmp.resolve("shard-b");
        for (Path shard : List.of(a, b)) {
            copyTree(out.resolve(".bfabench/cache/imported"), shard.resolve(".bfabench/cache/imported"));
        }
        for (Path shard : List.of(a, b)) {
            Result r = runGrid(grid, shard, plugins, "--shard", (shard == a ? 0 : 1) + "/2");
            assertEquals(0, r.exit(), r.toString());
        }
        Set<String> sharded = new TreeSet<>();
        importedRecords(a).forEach(r -> sharded.add(r.key()));
        importedRecords(b).forEach(r -> assertTrue(sharded.add(r.key()), "a cell in both shards"));
        assertEquals(keys, sharded);
        Path merged = tmp.resolve("merged");
        Result m = run("merge", a.toString(), b.toString(), "--out", merged.toString());
        assertEquals(0, m.exit(), m.toString());
        assertEquals(board(out).get("imported:my-mlp/quantized-8bit").get("clean_acc_mean"),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(Files.newBufferedReader(merged.resolve("leaderboards/with-import.csv"))).getRecords().stream()
                        .filter(r -> r.get("model").equals("imported:my-mlp")).findFirst().orElseThrow().get("clean_acc_mean"));

        // different weights under the same name are different cells; the built-in model's cells are reused
        Map<String, WeightArray> changed = new LinkedHashMap<>(stateDict);
        float[] w = changed.get("fc.weight").values().clone();
        w[0] = -w[0] + 0.5f;
        changed.put("fc.weight", new WeightArray(w, changed.get("fc.weight").shape()));
        NpzWriter.write(weights, changed);
        assertEquals(0, importInto(out, weights, plugins).exit());
        ImportedModel second = ImportedModel.read(out.resolve(".bfabench/cache"), "my-mlp");
        assertNotEquals(record.contentSha256(), second.contentSha256());
        Result rerun = runGrid(grid, out, plugins);
        assertEquals(0, rerun.exit(), rerun.toString());
        Set<String> newKeys = importedRecords(out).stream().filter(r -> r.config().model().options().get("weights_sha256")
                .equals(second.contentSha256())).map(CellRecord::key).collect(Collectors.toSet());
        assertEquals(2, newKeys.size());
        assertTrue(newKeys.stream().noneMatch(keys::contains));
        assertTrue(rerun.out().contains("(2 cells run, 2 reused, 0 failed"), rerun.toString());
    }

    @Test
    void anUnknownImportNameOrAnImportForADatasetTheGridLacksIsOneLineBeforeAnyDataIsRead() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("no-plugins"));
        Path out = tmp.resolve("out");
        Path imported = Files.createDirectories(out.resolve(".bfabench/cache/imported"));
        // an import record as 'bfabench import' writes it (the grid checks names before loading any model)
        new ImportedModel("cifar-net", "ab".repeat(32), "mlp", Map.of(), "quantized-8bit", "1.0.0", "cifar10", "", "",
                Map.of(), List.of(), 0.5, 100).write(out.resolve(".bfabench/cache"));
        Files.write(imported.resolve("cifar-net.npz"), new byte[] {1});

        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), GRID.replace("imported:my-mlp", "imported:my-nlp"));
        Result r = runGrid(unknown, out, plugins);
        assertEquals(ExitCodes.USER_ERROR, r.exit(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("no imported model 'my-nlp'") && lines.get(0).contains("(known: cifar-net)"),
                lines.get(0));

        Path otherDataset = Files.writeString(tmp.resolve("other.yaml"), GRID.replace("imported:my-mlp", "imported:cifar-net"));
        Result d = runGrid(otherDataset, out, plugins);
        assertEquals(ExitCodes.USER_ERROR, d.exit(), d.toString());
        assertEquals(1, d.err().lines().count(), d.err());
        assertTrue(d.err().contains("imported model 'cifar-net' was imported for dataset 'cifar10', which the grid does"
                + " not list (datasets: fashion-mnist)"), d.err());
        assertTrue(Files.notExists(out.resolve(".bfabench/store/with-import")), "nothing ran");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
