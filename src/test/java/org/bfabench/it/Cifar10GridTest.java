package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The bundled {@code cifar10-resnet20} grid end to end on CIFAR-shaped data. Real CIFAR-10 is not on CI
 * machines (and cannot be downloaded there), so the test writes small batches in the real binary format
 * (1 label byte + 3072 channel-first pixel bytes per record, {@code data_batch_1..5.bin},
 * {@code test_batch.bin}) and runs the bundled grid with only its budgets shrunk: the same dataset,
 * model, defenses, attacks and options, batch size 128, one seed, one epoch of a few steps, 3 flips;
 * the dataset gets {@code check_record_count: false} because the batches hold 64 (test: 200) records,
 * not 10 000. A board written next to a {@code throughput.csv} must also carry its inference figures.
 * The run uses the test JVM's heap, 6 GB (this module's surefire argLine), which is what the grid documents:
 * ra-bnn's growth search trains a 3×-wide ResNet-20 at batch 128, the largest memory user of the grid, and
 * in the launcher's default 3 GB it ran out of heap in about half the runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Cifar10GridTest {
    /**
     * Attackable weights of ResNet-20 with shortcut A: the 3×3 convolutions 3→16, 6 × 16→16, 16→32,
     * 5 × 32→32, 32→64, 5 × 64→64 and the 64→10 classifier (269,722 parameters less 1,376 batch-norm
     * γ/β and 10 biases).
     */
    private static final long RESNET20_WEIGHTS = 9L * (3 * 16 + 6 * 16 * 16 + 16 * 32 + 5 * 32 * 32 + 32 * 64
            + 5 * 64 * 64) + 64 * 10;
    private static final int TRAIN_PER_BATCH = 64;
    private static final int TEST_RECORDS = 200;
    private static final int FLIP_BUDGET = 3;
    /** Base colour per class (R, G, B); with a class-specific stripe pattern a network has something to learn. */
    private static final int[][] COLOURS = {{200, 60, 60}, {60, 200, 60}, {60, 60, 200}, {200, 200, 60}, {200, 60, 200},
        {60, 200, 200}, {220, 140, 40}, {140, 40, 220}, {40, 220, 140}, {128, 128, 128}};

    private Path tmp;
    private Map<String, Object> bundled;
    private Path out;
    private Cli.Result run;
    private List<CSVRecord> board;
    private final Map<String, Long> params = new TreeMap<>();
    private final Map<String, Long> bitsPerWeight = new TreeMap<>();

    /**
     * Records whose label is {@code (first + i) % 10} and whose pixels are the class colour on stripes
     * (horizontal for classes 0-4, vertical for 5-9, period 2-10 px by class) plus ±24 noise seeded by
     * the record's global index.
     */
    static byte[] batch(int first, int records) {
        byte[] b = new byte[records * 3073];
        for (int i = 0; i < records; i++) {
            int record = first + i;
            int label = record % 10;
            SplittableRandom noise = new SplittableRandom(record);
            int at = i * 3073;
            b[at] = (byte) label;
            int period = 2 * (label % 5 + 1);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        boolean on = ((label < 5 ? y : x) / (period / 2)) % 2 == 0;
                        int v = (on ? COLOURS[label][c] : COLOURS[label][c] / 3) + noise.nextInt(-24, 25);
                        b[at + 1 + c * 1024 + y * 32 + x] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
        }
        return b;
    }

    private Path cifarDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data/cifar-10-batches-bin"));
        for (int k = 1; k <= 5; k++) {
            Files.write(dir.resolve("data_batch_" + k + ".bin"), batch((k - 1) * TRAIN_PER_BATCH, TRAIN_PER_BATCH));
        }
        Files.write(dir.resolve("test_batch.bin"), batch(1_000_000, TEST_RECORDS));
        return tmp.resolve("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bundledGrid() throws IOException {
        try (InputStream in = Cifar10GridTest.class.getResourceAsStream("/grids/cifar10-resnet20.yaml")) {
            assertTrue(in != null, "the harness jar bundles grids/cifar10-resnet20.yaml");
            return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The bundled grid with its budgets shrunk to seconds; everything else as bundled. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shrunk(Map<String, Object> bundled) {
        Map<String, Object> g = new LinkedHashMap<>(bundled);
        assertEquals(List.of("cifar10"), g.get("datasets"));
        // the batches are smaller than the official 10 000 records
        g.put("datasets", List.of(Map.of("id", "cifar10", "options", Map.of("check_record_count", false))));
        g.put("seeds", List.of(1));
        Map<String, Object> training = new LinkedHashMap<>((Map<String, Object>) g.get("training"));
        training.put("epochs", 1);
        training.put("train_limit", 0);
        training.put("test_limit", 0);
        g.put("training", training);
        Map<String, Object> attack = new LinkedHashMap<>((Map<String, Object>) g.get("attack"));
        attack.put("flip_budget", FLIP_BUDGET);
        attack.put("eval_size", 100);
        g.put("attack", attack);
        List<Object> attacks = new ArrayList<>();
        for (Object a : (List<Object>) g.get("attacks")) {
            if (a instanceof Map<?, ?> m && m.containsKey("flip_budget")) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                copy.put("flip_budget", FLIP_BUDGET);
                a = copy;
            }
            attacks.add(a);
        }
        g.put("attacks", attacks);
        g.put("cell_timeout", "10m");
        return g;
    }

    private static List<String> ids(Object list) {
        List<String> ids = new ArrayList<>();
        for (Object o : (List<?>) list) {
            ids.add(o instanceof Map<?, ?> m ? (String) m.get("id") : (String) o);
        }
        return ids;
    }

    /** Runs the derived grid once; the tests below read its board. */
    @BeforeAll
    void runTheBundledGrid(@TempDir Path dir) throws Exception {
        tmp = dir;
        bundled = bundledGrid();
        Path grid = tmp.resolve("cifar10-resnet20.yaml");
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(grid, new Yaml(block).dump(shrunk(bundled)));
        out = tmp.resolve("out");
        // a throughput table next to the board: the run must join its resnet20 figures
        Path throughput = Files.createDirectories(out.resolve("leaderboards")).resolve("throughput.csv");
        StringBuilder table = new StringBuilder("benchmark,model,defense,path,unit,score,score_error,samples,jvm,date\n");
        List<String> defenses = ids(bundled.get("defenses"));
        for (int i = 0; i < defenses.size(); i++) {
            table.append("inference,resnet20,").append(defenses.get(i)).append(",model,img/s,").append(figure(defenses.get(i)))
                    .append(",12.5,5,jvm,2026-11-25T06:16:15Z\n");
        }
        Files.writeString(throughput, table);
        run = Cli.run(tmp, "run", "--grid", grid.toString(), "--out", out.toString(), "--data-dir", cifarDir().toString(),
                "--offline");
        board = Cli.board(out.resolve("leaderboards/cifar10-resnet20.csv"));
    }

    private String figure(String defense) {
        return (600 + ids(bundled.get("defenses")).indexOf(defense)) + ".5";
    }

    @Test
    void theBoardHasOneRowPerDefenseAndAttackOfTheBundledGrid() {
        List<String> expected = new ArrayList<>();
        for (String defense : ids(bundled.get("defenses"))) {
            for (String attack : ids(bundled.get("attacks"))) {
                expected.add("cifar10/resnet20/" + defense + "/" + attack);
            }
        }
        assertEquals(expected.stream().sorted().toList(), board.stream()
                .map(r -> r.get("dataset") + "/" + r.get("model") + "/" + r.get("defense") + "/" + r.get("attack")).toList(),
                run.toString());
    }

    @Test
    void resnet20TrainsAndIsAttackedOnCifarShapedBatchesUnderEveryDefenseInTheHeapTheGridDocuments() throws IOException {
        assertEquals(0, run.exit(), run.toString());
        for (String defense : ids(bundled.get("defenses"))) {
            assertRowsOk(defense);
        }
        assertEquals(Map.of("quantized-8bit", 8L, "quantized-4bit", 4L, "binary-weights", 1L, "bnn", 1L, "ra-bnn", 1L),
                bitsPerWeight);
        // the four fixed-width defenses share one architecture; ra-bnn may only grow it
        Map<String, Long> fixed = new TreeMap<>(params);
        long grown = fixed.remove("ra-bnn");
        assertEquals(Set.of(RESNET20_WEIGHTS), Set.copyOf(fixed.values()), params.toString());
        assertTrue(grown >= RESNET20_WEIGHTS, params.toString());
        assertTrue(Cli.row(board, "resnet20", "ra-bnn", "pbfa").get("widths").startsWith("stage1:"), board.toString());
    }

    private void assertRowsOk(String defense) throws IOException {
        for (String attack : ids(bundled.get("attacks"))) {
            CSVRecord row = Cli.row(board, "resnet20", defense, attack);
            String where = defense + "/" + attack + ": " + row.toMap() + "\n" + run;
            assertEquals("ok", row.get("status"), where);
            assertEquals("1", row.get("seeds"), where);
            assertEquals(Integer.toString(FLIP_BUDGET), row.get("budget"), where);
            double clean = Double.parseDouble(row.get("clean_acc_mean"));
            assertTrue(Double.isFinite(clean) && clean >= 0 && clean <= 100, where);
            double flips = Double.parseDouble(row.get("flips_to_random_mean"));
            assertTrue(flips >= 0 && flips <= FLIP_BUDGET, where);
            // every committed flip landed in a named ResNet-20 layer
            int committed = Integer.parseInt(row.get("flips_per_seed").replace("+", ""));
            int byLayer = 0;
            for (String layer : row.get("flips_by_layer").split(";")) {
                if (!layer.isEmpty()) {
                    assertTrue(layer.matches("(conv1|layer[1-3]\\.[0-2]\\.conv[12]|fc):\\d+"), where);
                    byLayer += Integer.parseInt(layer.substring(layer.lastIndexOf(':') + 1));
                }
            }
            assertEquals(committed, byLayer, where);
            long p = Long.parseLong(row.get("params"));
            long bits = Long.parseLong(row.get("weight_bits"));
            assertEquals(0, bits % p, where);
            bitsPerWeight.put(defense, bits / p);
            params.merge(defense, p, (a, b) -> {
                assertEquals(a, b, "one trained model per defense and seed serves both attacks: " + where);
                return a;
            });
            Path trace = out.resolve("leaderboards/cifar10-resnet20/traces/cifar10/resnet20/" + defense + "/" + attack
                    + "/seed-1.csv.gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
                assertEquals(committed + 1, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count(),
                        "trace: header + one line per flip, " + where);
            }
            assertEquals(figure(defense), row.get("infer_img_per_s"), where);
            assertEquals("12.5", row.get("infer_img_per_s_error"), where);
        }
    }
}
