package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginDiscovery;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BenchException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the two files users hand to bfabench besides datasets (those are fuzzed in
 * the datasets module): grid YAML files and cached model files. Every mutation must give either a
 * correct result or one {@link BenchException} line naming the file — never another exception, a
 * multi-line message or a silently different model.
 */
class InputFuzzTest {
    private static final int GRID_CASES = 400;
    private static final int MODEL_CASES = 200;

    private static final String VALID_GRID = """
            name: fuzz
            description: a valid grid the fuzzer mutates
            datasets: [fashion-mnist]
            models:
              - id: mlp
                options: {hidden: 64}
            defenses: [quantized-8bit, bnn]
            attacks:
              - id: pbfa
                options: {k_top: 10}
                flip_budget: 50
              - random-flip
            seeds: [1, 2]
            attack_seeds: [7]
            training:
              epochs: 1
              batch_size: 64
              train_limit: 1000
              test_limit: 300
            attack:
              flip_budget: 20
              eval_size: 200
              stop_accuracy: auto
            reference_defense: quantized-8bit
            cell_timeout: 5m
            """;

    private static final List<String> KEYS = List.of("name", "description", "datasets", "models", "defenses", "attacks",
            "seeds", "attack_seeds", "training", "epochs", "batch_size", "train_limit", "test_limit", "attack",
            "flip_budget", "eval_size", "stop_accuracy", "reference_defense", "cell_timeout", "id", "options", "bogus");
    private static final List<String> ODD_VALUES = List.of("-1", "0", "-2147483649", "99999999999999999999999", "1e309",
            "NaN", ".inf", "-.inf", "abc", "''", "~", "null", "true", "[]", "{}", "[1, [2]]", "{id: x}", "1.5", "0x10",
            "5 parsecs", "-5m", "PT-1S", "\"\\u0000\"", "&a [1]", "*a", "!!binary AAAA", "!!java.lang.Object {}",
            "no-such-id", "[no-such-id]", "[fashion-mnist, fashion-mnist]", "[mlp, mlp]");

    @TempDir
    Path tmp;

    @Test
    void everyMutatedGridFileLoadsToASaneGridOrFailsWithOneLineNamingIt() throws IOException {
        PluginRegistry registry = PluginDiscovery.discover(Optional.empty(), Optional.empty());
        Random random = new Random(7_2026L);
        int accepted = 0;
        Map<String, Integer> rejectedBy = new LinkedHashMap<>();
        for (int i = 0; i < GRID_CASES; i++) {
            Mutation m = mutateGrid(VALID_GRID.getBytes(StandardCharsets.UTF_8), random);
            Path file = Files.write(tmp.resolve("case-" + i + ".yaml"), m.bytes());
            String what = "case " + i + " (" + m.name() + "):\n" + new String(m.bytes(), StandardCharsets.UTF_8);
            GridSpec grid;
            try {
                grid = GridLoader.load(file.toString());
                grid.validate(registry);
            } catch (BenchException e) {
                String msg = e.getMessage();
                assertTrue(msg != null && !msg.isBlank() && msg.lines().count() == 1, "one line: " + msg + "\n" + what);
                assertTrue(msg.contains(file.getFileName().toString()) || msg.startsWith("grid '" + nameOf(m.bytes(), file) + "'"),
                        "names the grid: " + msg + "\n" + what);
                rejectedBy.merge(m.name(), 1, Integer::sum);
                if (i % 16 == 0) {
                    // the same file through the command line: exit 2, that one line, nothing run
                    Cli.Result r = Cli.run(tmp, "run", "--grid", file.toString(), "--out", tmp.resolve("out").toString());
                    assertEquals(2, r.exit(), r + "\n" + what);
                    assertEquals(List.of("bfabench: " + msg), r.errLines(), what);
                }
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("not a clear error: " + e + "\n" + what, e);
            }
            accepted++;
            assertSane(grid, registry, what);
        }
        System.out.println("grid mutations: " + accepted + " accepted, rejected " + rejectedBy);
        // the fuzzer exercised both outcomes, and every kind of mutation was rejected at least once
        assertTrue(accepted > 10 && accepted < GRID_CASES - 100, "accepted " + accepted + ", rejected " + rejectedBy);
        assertTrue(rejectedBy.keySet().containsAll(List.of("truncate", "garbage", "nesting", "odd-value", "rename-key",
                "duplicate-line")), "rejected by " + rejectedBy);
    }

    private static String nameOf(byte[] yaml, Path file) {
        String text = new String(yaml, StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("name:")).map(l -> l.substring(5).strip()).findFirst()
                .orElse(file.getFileName().toString().replace(".yaml", ""));
    }

    /** What the runner relies on for an accepted grid. */
    private static void assertSane(GridSpec g, PluginRegistry registry, String what) {
        assertTrue(g.name().matches("[a-z0-9._-]+"), "name " + g.name() + "\n" + what);
        assertFalse(g.datasets().isEmpty() || g.models().isEmpty() || g.defenses().isEmpty() || g.attacks().isEmpty()
                || g.seeds().isEmpty(), "empty list accepted\n" + what);
        assertEquals(g.seeds().size(), g.seeds().stream().distinct().count(), "duplicate seeds\n" + what);
        assertTrue(g.training().epochs() > 0 && g.training().batchSize() > 0 && g.training().trainLimit() >= 0
                && g.training().testLimit() >= 0, g.training() + "\n" + what);
        assertTrue(g.attack().flipBudget() > 0 && g.attack().evalSize() >= 0, g.attack() + "\n" + what);
        g.attacks().forEach(a -> assertTrue(g.flipBudget(a) > 0, "budget of " + a + "\n" + what));
        g.attack().stopAccuracy().ifPresent(s -> assertTrue(s >= 0 && s < 1, "stop accuracy " + s + "\n" + what));
        assertTrue(g.defenses().stream().anyMatch(d -> d.id().equals(g.referenceDefense())), "reference\n" + what);
        g.cellTimeout().ifPresent(t -> assertTrue(!t.isNegative() && !t.isZero(), "timeout " + t + "\n" + what));
        assertTrue(registry.datasets().keySet().containsAll(g.datasets().stream().map(c -> c.id()).toList()), what);
    }

    private record Mutation(String name, byte[] bytes) {
    }

    private static Mutation mutateGrid(byte[] valid, Random r) {
        String text = new String(valid, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        int at = r.nextInt(lines.size());
        switch (r.nextInt(9)) {
            case 0 -> {
                lines.remove(at);
                return new Mutation("delete-line", join(lines));
            }
            case 1 -> {
                lines.add(at, lines.get(at));
                return new Mutation("duplicate-line", join(lines));
            }
            case 2 -> {
                String line = lines.get(at);
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String indent = line.substring(0, line.length() - line.stripLeading().length());
                    String key = r.nextBoolean() ? KEYS.get(r.nextInt(KEYS.size())) : "x" + Integer.toString(r.nextInt(1 << 20), 36);
                    lines.set(at, indent + key + line.substring(colon));
                }
                return new Mutation("rename-key", join(lines));
            }
            case 3 -> {
                String line = lines.get(at);
                int colon = line.indexOf(": ");
                String value = ODD_VALUES.get(r.nextInt(ODD_VALUES.size()));
                if (colon > 0) {
                    lines.set(at, line.substring(0, colon + 2) + value);
                } else if (line.stripLeading().startsWith("- ")) {
                    lines.set(at, line.substring(0, line.indexOf("- ") + 2) + value);
                }
                return new Mutation("odd-value", join(lines));
            }
            case 4 -> {
                // a number replaced by a negative, zero or huge one
                String line = lines.get(at);
                String[] numbers = {"-" + (1 + r.nextInt(1000)), "0", "2147483648", "9".repeat(1 + r.nextInt(40)), "-0.5"};
                lines.set(at, line.replaceFirst("\\b\\d+\\b", numbers[r.nextInt(numbers.length)]));
                return new Mutation("number", join(lines));
            }
            case 5 -> {
                byte[] b = Arrays.copyOf(valid, r.nextInt(valid.length));
                return new Mutation("truncate", b);
            }
            case 6 -> {
                byte[] b = valid.clone();
                int n = 1 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return new Mutation("garbage", b);
            }
            case 7 -> {
                int depth = 20 + r.nextInt(5000);
                String nested = r.nextBoolean() ? "[".repeat(depth) + "1" + "]".repeat(depth)
                        : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
                String line = lines.get(at);
                int colon = line.indexOf(": ");
                lines.set(at, colon > 0 ? line.substring(0, colon + 2) + nested : nested);
                return new Mutation("nesting", join(lines));
            }
            default -> {
                // an indentation change moves a key into or out of a block
                String line = lines.get(at);
                lines.set(at, r.nextBoolean() ? "  " + line : line.stripLeading());
                return new Mutation("indent", join(lines));
            }
        }
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMutatedModelCacheFileReloadsTheSameModelOrFailsWithOneLineNamingIt() throws IOException {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        PluginRegistry registry = PluginDiscovery.discover(Optional.empty(), Optional.empty());
        LoadedComponent<Defense> defense = registry.defenses().get("quantized-8bit");
        ModelArchitecture mlp = registry.architectures().get("mlp").component();
        var provider = registry.datasets().get("fashion-mnist");
        Dataset data = provider.call(() -> provider.component().load(new DatasetContext(Optional.of(Cli.FASHION_MNIST),
                tmp.resolve("dataset-cache"), true, Options.empty())));
        Path good = tmp.resolve("model.npz");
        Batch batch = data.test().range(0, 200);
        int[] predictions;
        int[][] codes;
        ModelContext mc = new ModelContext(mlp, Options.empty(), data.inputShape(), data.numClasses(), Options.empty());
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        try (DefendedModel m = defense.call(() -> defense.component().train(new TrainingContext(mlp, Options.empty(), data,
                new TrainingBudget(1, 64, 500), 3, Options.empty(), Progress.NONE, work, shared)))) {
            m.save(good);
            predictions = m.predict(batch);
            codes = codes(m.attackSurface().orElseThrow());
        }
        byte[] valid = Files.readAllBytes(good);
        Map<String, byte[]> entries = entries(valid);
        assertTrue(entries.size() >= 2, "a model file has several entries: " + entries.keySet());

        Random random = new Random(11_2026L);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < MODEL_CASES; i++) {
            String kind;
            byte[] bytes;
            switch (random.nextInt(6)) {
                case 0 -> {
                    kind = "truncate";
                    bytes = Arrays.copyOf(valid, random.nextInt(valid.length));
                }
                case 1 -> {
                    kind = "flip-file-byte";
                    bytes = valid.clone();
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                case 2 -> {
                    kind = "flip-entry-byte";
                    Map<String, byte[]> e = copy(entries);
                    byte[] b = pick(e, random);
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    bytes = zip(e);
                }
                case 3 -> {
                    kind = "swap-entries";
                    List<String> names = new ArrayList<>(entries.keySet());
                    String a = names.get(random.nextInt(names.size()));
                    String b = names.get(random.nextInt(names.size()));
                    Map<String, byte[]> e = copy(entries);
                    e.put(a, entries.get(b));
                    e.put(b, entries.get(a));
                    bytes = zip(e);
                }
                case 4 -> {
                    kind = "drop-entry";
                    Map<String, byte[]> e = copy(entries);
                    List<String> names = new ArrayList<>(e.keySet());
                    e.remove(names.get(random.nextInt(names.size())));
                    bytes = zip(e);
                }
                default -> {
                    kind = "truncate-entry";
                    Map<String, byte[]> e = copy(entries);
                    List<String> names = new ArrayList<>(e.keySet());
                    String n = names.get(random.nextInt(names.size()));
                    e.put(n, Arrays.copyOf(e.get(n), random.nextInt(e.get(n).length)));
                    bytes = zip(e);
                }
            }
            Path file = Files.write(tmp.resolve("case-" + i + ".npz"), bytes);
            String what = "case " + i + " (" + kind + ")";
            try (DefendedModel loaded = defense.call(() -> defense.component().load(mc, file))) {
                // accepted: it must be the very same model, not a silently different one
                assertArrayEquals(predictions, loaded.predict(batch), what + ": accepted but predicts differently");
                int[][] got = codes(loaded.attackSurface().orElseThrow());
                for (int l = 0; l < codes.length; l++) {
                    assertArrayEquals(codes[l], got[l], what + ": accepted with other codes in layer " + l);
                }
                outcomes.merge(kind + " same", 1, Integer::sum);
            } catch (BenchException e) {
                String msg = e.getMessage();
                assertTrue(msg != null && msg.lines().count() == 1, what + ": one line: " + msg);
                assertTrue(msg.contains(file.getFileName().toString()), what + ": names the file: " + msg);
                outcomes.merge(kind + " rejected", 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                fail(what + ": not a clear error: " + e, e);
            }
        }
        System.out.println("model file mutations: " + outcomes);
        for (String kind : List.of("truncate", "flip-entry-byte", "drop-entry", "truncate-entry")) {
            assertTrue(outcomes.getOrDefault(kind + " rejected", 0) > 0, kind + " never rejected: " + outcomes);
        }
    }

    private static int[][] codes(AttackSurface s) {
        int[][] c = new int[s.layers().size()][];
        for (int l = 0; l < c.length; l++) {
            c[l] = new int[s.layers().get(l).weightCount()];
            for (int i = 0; i < c[l].length; i++) {
                c[l][i] = s.code(l, i);
            }
        }
        return c;
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static Map<String, byte[]> copy(Map<String, byte[]> entries) {
        Map<String, byte[]> c = new LinkedHashMap<>();
        entries.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    private static byte[] pick(Map<String, byte[]> entries, Random r) {
        List<byte[]> values = new ArrayList<>(entries.values().stream().filter(v -> v.length > 0).toList());
        return values.get(r.nextInt(values.size()));
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(buf)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return buf.toByteArray();
    }
}
