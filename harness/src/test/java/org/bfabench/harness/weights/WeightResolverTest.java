package org.bfabench.harness.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.WeightArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightResolverTest {
    private static final List<ParameterSpec> SPECS = List.of(
            new ParameterSpec("conv1.weight", new int[] {16, 3, 3, 3}, false, true),
            new ParameterSpec("bn1.running_var", new int[] {16}, true, false),
            new ParameterSpec("fc.weight", new int[] {10, 64}, false, true));

    private static WeightArray zeros(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new WeightArray(new float[n], shape);
    }

    private static Map<String, WeightArray> file() {
        Map<String, WeightArray> m = new LinkedHashMap<>();
        m.put("conv1.weight", zeros(16, 3, 3, 3));
        m.put("bn1.running_var", zeros(16));
        m.put("bn1.num_batches_tracked", zeros());
        m.put("linear.weight", zeros(10, 64));
        m.put("linear.bias", zeros(10));
        return m;
    }

    @Test
    void aMissingKeyIsNamedWithTheClosestKeysTheFileHas() {
        BenchException e = assertThrows(BenchException.class, () -> WeightResolver.resolve("w.npz", SPECS, file(), Map.of()));
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().startsWith("w.npz: no array 'fc.weight' (closest: "), e.getMessage());
        assertTrue(e.getMessage().contains("linear.weight") && e.getMessage().contains("--map"), e.getMessage());
    }

    @Test
    void theMappingRenamesAndUnusedArraysOtherThanTheBatchCounterAreReported() {
        Map<String, WeightArray> f = file();
        WeightResolver.Resolved r = WeightResolver.resolve("w.npz", SPECS, f, Map.of("fc.weight", "linear.weight"));
        assertSame(f.get("linear.weight"), r.byName().get("fc.weight"));
        assertSame(f.get("conv1.weight"), r.byName().get("conv1.weight"));
        assertEquals(Set.of("linear.bias"), r.unused());
    }

    @Test
    void aShapeMismatchGivesBothShapes() {
        Map<String, WeightArray> f = file();
        f.put("conv1.weight", zeros(3, 16, 3, 3));
        BenchException e = assertThrows(BenchException.class,
                () -> WeightResolver.resolve("w.npz", SPECS, f, Map.of("fc.weight", "linear.weight")));
        assertTrue(e.getMessage().contains("'conv1.weight' has shape [3, 16, 3, 3]")
                && e.getMessage().contains("needs [16, 3, 3, 3]"), e.getMessage());
    }

    @Test
    void aMappingOfANameTheModelDoesNotHaveIsRefusedWithNearNames() {
        BenchException e = assertThrows(BenchException.class,
                () -> WeightResolver.resolve("w.npz", SPECS, file(), Map.of("fc.weights", "linear.weight")));
        assertTrue(e.getMessage().contains("'fc.weights' is not a parameter") && e.getMessage().contains("fc.weight"),
                e.getMessage());
    }

    @Test
    void mappingFilesAreYamlMapsOfStringsAndAnythingElseIsOneLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("m.yaml");
        Files.writeString(good, "# PyTorch name on the right\nfc.weight: linear.weight\nfc.bias: linear.bias\n");
        assertEquals(Map.of("fc.weight", "linear.weight", "fc.bias", "linear.bias"), WeightMapping.read(good));
        Path list = dir.resolve("l.yaml");
        Files.writeString(list, "- fc.weight\n");
        assertTrue(assertThrows(BenchException.class, () -> WeightMapping.read(list)).getMessage().contains("must be a YAML mapping"));
        Path nested = dir.resolve("n.yaml");
        Files.writeString(nested, "fc.weight: {a: 1}\n");
        assertTrue(assertThrows(BenchException.class, () -> WeightMapping.read(nested)).getMessage().contains("both strings"));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, WeightResolver.distance("fc.weight", "fc.weight"));
        assertEquals(3, WeightResolver.distance("kitten", "sitting"));
        assertEquals(7, WeightResolver.distance("", "module."));
    }
}
