package org.bfabench.harness.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bfabench.harness.run.fixtures.FixtureRegistry;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridLoaderTest {
    private static final String VALID = """
            name: mini
            datasets: [blobs]
            models:
              - id: linear
                options: {width: 2}
            defenses: [logistic-8bit]
            attacks:
              - random-flip
              - id: greedy-bit
                flip_budget: 7
            seeds: [1, 2]
            attack_seeds: [10]
            training: {epochs: 2, batch_size: 16}
            attack: {flip_budget: 30, stop_accuracy: 0.2}
            reference_defense: logistic-8bit
            cell_timeout: 90s
            """;

    private static GridSpec parse(String yaml) {
        return GridLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t");
    }

    private static String error(String yaml) {
        return assertThrows(BenchException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void aValidGridParsesIntoItsCellsSettings() {
        GridSpec g = parse(VALID);
        assertEquals("mini", g.name());
        assertEquals(2, g.models().get(0).options().getInt("width", 0));
        assertEquals(30, g.flipBudget(g.attacks().get(0)));
        assertEquals(7, g.flipBudget(g.attacks().get(1)));
        assertEquals(List.of(new SeedPair(1, 10), new SeedPair(2, 10)), g.seedPairs());
        assertEquals(0.2, g.attack().stopAccuracyFor(10), 0);
        assertEquals(Duration.ofSeconds(90), g.cellTimeout().orElseThrow());
        assertEquals(64, g.sha256().length());
        g.validate(new FixtureRegistry());
    }

    @Test
    void automaticStopAccuracyIsRandomGuessPlusOnePoint() {
        GridSpec g = parse(VALID.replace("stop_accuracy: 0.2", "stop_accuracy: auto"));
        assertEquals(0.11, g.attack().stopAccuracyFor(10), 1e-12);
    }

    @Test
    void everyBundledGridLoads() {
        assertEquals(List.of("smoke", "fmnist-quick", "fmnist-standard", "fmnist-vgg-small", "cifar10-resnet20"), GridLoader.bundledNames());
        for (String name : GridLoader.bundledNames()) {
            GridSpec g = GridLoader.load(name);
            assertEquals(name, g.name());
        }
        GridSpec quick = GridLoader.load("fmnist-quick");
        assertEquals(List.of("quantized-8bit", "quantized-4bit", "binary-weights", "bnn", "ra-bnn"),
                quick.defenses().stream().map(ComponentRef::id).toList());
        assertEquals("quantized-8bit", quick.referenceDefense());
    }

    @Test
    void aGridFileIsReadByPathAndNamedAfterItWhenItHasNoName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("my-grid.yaml");
        Files.writeString(f, VALID.replace("name: mini\n", ""));
        assertEquals("my-grid", GridLoader.load(f.toString()).name());
    }

    @Test
    void unknownGridNameListsTheBundledOnes() {
        String m = assertThrows(BenchException.class, () -> GridLoader.load("nope")).getMessage();
        assertTrue(m.contains("bundled: smoke, fmnist-quick"), m);
    }

    @Test
    void malformedYamlNamesTheLine() {
        String m = error("name: x\ndatasets: [blobs\nmodels: [linear]\n");
        assertTrue(m.startsWith("grid t.yaml line "), m);
        assertTrue(m.contains("malformed YAML"), m);
    }

    @Test
    void unknownKeysAreRejectedWithTheKnownKeysAndTheLine() {
        String m = error(VALID.replace("training: {epochs: 2", "training: {epoch: 2"));
        assertEquals("grid t.yaml line 13: unknown key 'epoch' in training (known keys: epochs, batch_size, train_limit,"
                + " test_limit)", m);
        assertTrue(error(VALID + "colour: red\n").contains("unknown key 'colour' (known keys: name, description,"));
    }

    @Test
    void impossibleValuesAreRejected() {
        assertTrue(error(VALID.replace("flip_budget: 30", "flip_budget: -5")).contains("attack.flip_budget: must be a positive integer, got -5"));
        assertTrue(error(VALID.replace("defenses: [logistic-8bit]", "defenses: []")).contains("'defenses' is empty"));
        assertTrue(error(VALID.replace("seeds: [1, 2]", "seeds: [1, 1]")).contains("seed 1 is listed twice"));
        assertTrue(error(VALID.replace("stop_accuracy: 0.2", "stop_accuracy: 1.5")).contains("stop_accuracy"));
        assertTrue(error(VALID.replace("cell_timeout: 90s", "cell_timeout: soon")).contains("cell_timeout: expected a duration"));
        assertTrue(error(VALID.replace("datasets: [blobs]", "datasets: [Blobs]")).contains("is not a component id"));
        assertTrue(error(VALID.replace("reference_defense: logistic-8bit", "reference_defense: bnn"))
                .contains("reference_defense 'bnn' is not among the grid's defenses"));
        assertTrue(error(VALID.replace("seeds: [1, 2]\n", "")).contains("missing 'seeds'"));
    }

    @Test
    void arbitraryJavaTypesCannotBeConstructed() {
        String m = error(VALID.replace("name: mini", "name: !!java.io.File [\"/etc/passwd\"]"));
        assertTrue(m.contains("malformed YAML"), m);
    }

    @Test
    void idsThatNoLoadedPluginProvidesAreReportedWithTheAvailableOnes() {
        GridSpec g = parse(VALID.replace("defenses: [logistic-8bit]", "defenses: [logistic-8bit, ra-bnn]")
                .replace("random-flip", "pbfa"));
        String m = assertThrows(BenchException.class, () -> g.validate(new FixtureRegistry())).getMessage();
        assertTrue(m.contains("unknown defense 'ra-bnn' (available defenses: float-logistic, logistic-8bit, logistic-nograd)"), m);
        assertTrue(m.contains("unknown attack 'pbfa' (available attacks: broken, greedy-bit, random-flip, stuck)"), m);
    }

    @Test
    void anImportedModelEntryIsAModelNamedByItsImportAndCheckedOnlyAgainstImportsAtRunTime() {
        GridSpec g = parse(VALID.replace("  - id: linear\n    options: {width: 2}", "  - linear\n  - imported:My_resnet-2.b"));
        assertEquals(List.of("linear", "imported:My_resnet-2.b"), g.models().stream().map(ComponentRef::id).toList());
        assertEquals(java.util.Optional.of("My_resnet-2.b"), g.models().get(1).importedName());
        assertEquals(java.util.Optional.empty(), g.models().get(0).importedName());
        g.validate(new FixtureRegistry()); // no architecture 'imported:...' is looked up among the plugins

        String options = error(VALID.replace("id: linear", "id: imported:net"));
        assertTrue(options.contains("line 5") && options.contains("an imported model keeps the architecture options"), options);
        String defense = error(VALID.replace("defenses: [logistic-8bit]", "defenses: [imported:net]"));
        assertTrue(defense.contains("defenses[0]: 'imported:net': only a model entry can name an imported model"), defense);
        String name = error(VALID.replace("  - id: linear\n    options: {width: 2}", "  - imported:../etc"));
        assertTrue(name.contains("'imported:../etc' is not imported:<name>"), name);
    }
}
