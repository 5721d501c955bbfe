package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.board.BoardCsv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bfabench nightly --grids smoke} through the real CLI, plugins and Fashion-MNIST (skipped when the
 * Debian dataset package is not installed), against a committed board made by hand so that every kind
 * of change is certain whatever the exact numbers: a flip CI no attack can land in (every run needs at
 * least one flip), a clean accuracy of 0 %, a row for an attack the grid does not have, and no row for
 * random-flip. Its committed {@code smoke.run.json} (one minute) fits the two-hour budget.
 */
class NightlyEndToEndTest {
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    @TempDir
    Path tmp;

    private static String row(String attack, String cleanMean, String flipsMean, String ciLow, String ciHigh) {
        return String.join(",", "fashion-mnist", "mlp", "quantized-8bit", attack, "1", cleanMean, "", flipsMean, "",
                flipsMean, "0", ciLow, ciHigh, "0", "100", "", "", "", "", "", "", "1.00", "0", "", "", "ok", "", "", "", "", "",
                "", "1") + "\n";
    }

    @Test
    void theSmokeBoardAgainstADoctoredBaselineReportsEveryKindOfChangeAndExitsFour() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(FASHION_MNIST), "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        Path baseline = Files.createDirectories(tmp.resolve("committed"));
        Files.writeString(baseline.resolve("smoke.csv"), String.join(",", BoardCsv.COLUMNS) + "\n"
                + row("pbfa", "0.00", "0.3", "0.0", "0.5") + row("zzz-retired-attack", "80.00", "50.0", "40.0", "60.0"));
        Files.writeString(baseline.resolve("smoke.run.json"), "{\"grid\": \"smoke\", \"shard\": \"all\", \"wall_seconds\": 60.0}");
        Path out = tmp.resolve("night");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int exit = Main.run(new String[] {"nightly", "--grids", "smoke", "--time-budget", "2h", "--baseline", baseline.toString(),
                "--out", out.toString(), "--offline"}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), Map.of(), tmp);

        String console = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.REGRESSED, exit, console);
        assertTrue(console.contains("estimated 1m00s") && console.contains("will run"), console);
        assertTrue(Files.isRegularFile(out.resolve("leaderboards/smoke.csv")), console);
        List<CSVRecord> report = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(out.resolve("leaderboards/regressions.csv"))).getRecords();
        assertEquals(List.of("pbfa flips_outside_ci", "pbfa clean_acc_moved", "random-flip new_row",
                "zzz-retired-attack missing_row"), report.stream().map(r -> r.get("attack") + " " + r.get("kind")).toList());
        assertTrue(Files.readString(out.resolve("leaderboards/regressions.md")).contains("**3 regression(s)"));
    }
}
