package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: the output directory lives on a small tmpfs that a filler file has filled to the last
 * page. Needs {@code mount} (root with CAP_SYS_ADMIN); skipped where the container does not allow it.
 */
class DiskFullTest {
    private static final String GRID = """
            name: full
            datasets: [fashion-mnist]
            models: [mlp]
            defenses: [quantized-8bit]
            attacks: [random-flip, pbfa]
            seeds: [1]
            training: {epochs: 1, batch_size: 64, train_limit: 500, test_limit: 200}
            attack: {flip_budget: 5, eval_size: 100}
            """;

    @TempDir
    Path tmp;
    private Path mountPoint;

    private static boolean sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mountPoint != null) {
            sh("umount", mountPoint.toString());
        }
    }

    @Test
    void aFullDiskStopsTheRunWithOneLineAndTheFinishedCellsStayIntact() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Path fs = Files.createDirectories(tmp.resolve("fs"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", fs.toString()), "cannot mount a tmpfs here (needs root)");
        mountPoint = fs;
        Path grid = Files.writeString(tmp.resolve("full.yaml"), GRID);
        Path out = fs.resolve("out");
        String[] run = {"run", "--grid", grid.toString(), "--out", out.toString(), "--offline"};
        assertEquals(0, Cli.run(tmp, run).exit());

        Path store = out.resolve(".bfabench/store/full");
        List<Path> records;
        try (Stream<Path> files = Files.list(store)) {
            records = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(2, records.size());
        byte[] kept = Files.readAllBytes(records.get(0));
        Files.delete(records.get(1));
        Path filler = fs.resolve("filler");
        fill(filler);

        Cli.Result full = Cli.run(tmp, run);
        assertEquals(2, full.exit(), full.toString());
        assertEquals(1, full.errLines().size(), full.toString());
        assertTrue(full.err().startsWith("bfabench: cannot write " + store), full.toString());
        assertTrue(full.err().contains("No space left on device"), full.toString());
        assertArrayEquals(kept, Files.readAllBytes(records.get(0)), "a finished record is untouched");

        Files.delete(filler);
        Cli.Result resumed = Cli.run(tmp, run);
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.out().contains("(1 cells run, 1 reused"), resumed.toString());
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains(".partial-")).toList(),
                    "the rerun removed what the failed writes left");
        }
    }

    /** Writes until the file system has no page left. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream o = Files.newOutputStream(filler)) {
            while (true) {
                o.write(chunk);
            }
        } catch (IOException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
        }
    }
}
