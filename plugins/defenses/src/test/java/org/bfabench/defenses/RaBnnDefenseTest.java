package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.TrainingBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaBnnDefenseTest {
    private static final Options SMALL_SEARCH = Options.of(Map.of("search_epochs", 2, "search_train_limit", 1000));
    private static Dataset data;

    @BeforeAll
    static void loadData(@TempDir Path cache) {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "Fashion-MNIST not installed");
        data = FashionMnist.load(cache);
    }

    @Test
    void grownModelHasWidthsAtLeastTheBaseReloadsIdenticallyAndReusesTheCachedGrowth(@TempDir Path dir) throws Exception {
        ModelArchitecture arch = FashionMnist.architecture("cnn-small");
        TrainingBudget budget = new TrainingBudget(1, 128, 1000);
        DefendedModel model = Training.train("ra-bnn", arch, data, budget, 1, SMALL_SEARCH, dir);
        Map<String, String> facts = model.facts();
        int[] base = {16, 32, 64};
        String[] groups = {"conv0", "conv1", "conv2"};
        String[] parts = facts.get("widths").split(";");
        assertEquals(3, parts.length, facts.get("widths"));
        for (int i = 0; i < 3; i++) {
            assertTrue(parts[i].startsWith(groups[i] + ":"), parts[i]);
            int w = Integer.parseInt(parts[i].substring(parts[i].indexOf(':') + 1));
            assertTrue(w >= base[i] && w <= 3 * base[i], "width " + w + " of " + groups[i]);
        }
        assertTrue(Files.readAllLines(dir.resolve("density.csv")).size() >= 2, "density curve has a row per epoch");

        Path file = dir.resolve("m.npz");
        model.save(file);
        DefendedModel back = Training.defense("ra-bnn").load(new ModelContext(arch, Options.empty(),
                data.inputShape(), 10, SMALL_SEARCH), file);
        var batch = data.test().range(0, 500);
        assertArrayEquals(model.predict(batch), back.predict(batch));
        assertEquals(facts.get("widths"), back.facts().get("widths"));

        Path growthDir = dir.resolve("ra-bnn-growth");
        List<Path> entries;
        try (Stream<Path> s = Files.list(growthDir)) {
            entries = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(1, entries.size());
        long stamp = Files.getLastModifiedTime(entries.get(0)).toMillis();
        Path stale = Files.createFile(growthDir.resolve("left-by-a-killed-run.json.tmp"));
        Thread.sleep(20);
        DefendedModel other = Training.train("ra-bnn", arch, data, budget, 2, SMALL_SEARCH, dir);
        assertEquals(facts.get("widths"), other.facts().get("widths"), "a new stage-2 seed reuses the growth");
        assertEquals(stamp, Files.getLastModifiedTime(entries.get(0)).toMillis(), "the growth was not recomputed");
        assertTrue(Files.notExists(stale), "a temp file of a killed run is cleaned");
    }

    @Test
    void unknownOptionsAndImpossibleFactorsAreRejected(@TempDir Path dir) {
        ModelArchitecture arch = FashionMnist.architecture("cnn-small");
        TrainingBudget budget = new TrainingBudget(1, 128, 200);
        BenchException e = assertThrows(BenchException.class,
                () -> Training.train("ra-bnn", arch, data, budget, 1, Options.of(Map.of("growth", 3)), dir));
        assertTrue(e.getMessage().contains("growth_factor"), e.getMessage());
        assertThrows(BenchException.class, () -> Training.train("ra-bnn", arch, data, budget, 1,
                Options.of(Map.of("growth_factor", 0.5)), dir));
    }
}
