package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken third-party jars cost one warning line each; the built-in plugins still load and run. */
class BrokenPluginsTest {
    @TempDir
    Path tmp;

    private Path brokenPlugins() throws Exception {
        Path dir = tmp.resolve("plugins");
        PluginJarBuilder.build(dir.resolve("no-service.jar"), null, PluginJarBuilder.emptyPlugin("broken.noservice", 1), null);
        PluginJarBuilder.build(dir.resolve("spi-99.jar"), null, PluginJarBuilder.emptyPlugin("broken.future", 99),
                "broken.future.Plugin");
        return dir;
    }

    private static void assertTwoWarnings(Cli.Result r) {
        List<String> warnings = r.errLines().stream().filter(l -> l.startsWith("bfabench: warning: ")).toList();
        assertEquals(2, warnings.size(), r.toString());
        String noService = warnings.stream().filter(l -> l.contains("no-service.jar")).findFirst().orElseThrow();
        assertTrue(noService.contains("META-INF/services/org.bfabench.spi.BenchPlugin"), noService);
        String future = warnings.stream().filter(l -> l.contains("spi-99.jar")).findFirst().orElseThrow();
        assertTrue(future.contains("SPI 99") && future.contains("SPI 1"), future);
    }

    @Test
    void listWarnsOnceAboutEachBrokenJarAndStillListsEveryBuiltIn() throws Exception {
        Cli.Result r = Cli.run(tmp, "list", "--plugins", brokenPlugins().toString());
        assertEquals(0, r.exit(), r.toString());
        assertTwoWarnings(r);
        for (String id : List.of("fashion-mnist", "mnist", "cifar10", "mlp", "cnn-small", "vgg-small", "resnet20",
                "quantized-8bit", "quantized-4bit", "binary-weights", "bnn", "pbfa", "random-flip")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("built-in")), id + " missing:\n" + r.out());
        }
    }

    @Test
    void theSmokeGridRunsOnRealFashionMnistDespiteBrokenJarsAnd8BitMlpIsAbove75Percent() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run(tmp, "run", "--grid", "smoke", "--out", out.toString(), "--plugins", brokenPlugins().toString(),
                "--offline");
        assertEquals(0, r.exit(), r.toString());
        assertTwoWarnings(r);
        List<CSVRecord> rows = Cli.board(out.resolve("leaderboards/smoke.csv")).stream()
                .filter(x -> x.get("model").equals("mlp") && x.get("defense").equals("quantized-8bit")).toList();
        assertTrue(!rows.isEmpty(), "the smoke grid has a quantized-8bit mlp row");
        for (CSVRecord row : rows) {
            assertTrue(Double.parseDouble(row.get("clean_acc_mean")) > 75, row.toString());
            assertEquals("fashion-mnist", row.get("dataset"));
        }
    }
}
