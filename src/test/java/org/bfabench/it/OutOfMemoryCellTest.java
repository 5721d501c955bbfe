package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell whose model cannot fit in memory fails alone, with a message naming the cell and the setting
 * that sized it. Deterministic: an MLP with 50 million hidden units asks for one weight array of
 * 784 × 5·10⁷ floats, far beyond the child JVM's 512 MB heap, so the allocation fails at once.
 */
class OutOfMemoryCellTest {
    private static final String GRID = """
            name: oom
            datasets: [fashion-mnist]
            models: [{id: mlp, options: {hidden: 50000000}}, cnn-small]
            defenses: [quantized-8bit]
            attacks: [random-flip]
            seeds: [1]
            training: {epochs: 1, batch_size: 64, train_limit: 300, test_limit: 100}
            attack: {flip_budget: 3, eval_size: 50}
            """;

    @TempDir
    Path tmp;

    @Test
    void aModelTooBigForTheHeapFailsOnlyItsCellNamingTheCellAndTheSetting() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Launch.assumeBuilt();
        Path grid = Files.writeString(tmp.resolve("oom.yaml"), GRID);
        Path out = tmp.resolve("out");
        Cli.Result r = Launch.run(tmp, "run", "--grid", grid.toString(), "--out", out.toString(), "--offline");
        assertEquals(3, r.exit(), r.toString());
        List<String> failed = r.errLines().stream().filter(l -> l.startsWith("[") && l.contains("FAILED")).toList();
        assertEquals(1, failed.size(), r.toString());
        String line = failed.get(0);
        assertTrue(line.contains("fashion-mnist/mlp/quantized-8bit/random-flip seed 1"), line);
        assertTrue(line.contains("out of memory") && line.contains("hidden=50000000"), line);
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches("\\[\\d/2] fashion-mnist/cnn-small/quantized-8bit/random-flip seed 1: OK .*")),
                r.toString());

        List<CSVRecord> board = Cli.board(out.resolve("leaderboards/oom.csv"));
        assertEquals("failed:1", Cli.row(board, "mlp", "quantized-8bit", "random-flip").get("status"));
        assertEquals("ok", Cli.row(board, "cnn-small", "quantized-8bit", "random-flip").get("status"));
    }
}
