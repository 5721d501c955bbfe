package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a running grid ({@link Process#destroyForcibly()} on the launched JVM) at several
 * points — after some cells, at seeded random moments, while the board is being written — never leaves a
 * file that reads back corrupt, and the rerun resumes to a board byte-identical to an uninterrupted run's.
 */
class KillResumeTest {
    private static final Pattern CELL_LINE = Pattern.compile("^\\[(\\d+)/(\\d+)] .*");
    private static final int CELLS = 8;
    /** 8 cells, 4 trainings: two defenses, two attacks, two seeds; tiny budgets (about 6 s uninterrupted). */
    private static final String GRID = """
            name: kill-resume
            description: resumption after kill -9
            datasets: [fashion-mnist]
            models: [mlp]
            defenses: [quantized-8bit, bnn]
            attacks:
              - id: pbfa
              - id: random-flip
            seeds: [1, 2]
            training:
              epochs: 1
              batch_size: 64
              train_limit: 1000
              test_limit: 300
            attack:
              flip_budget: 20
              eval_size: 200
              stop_accuracy: auto
            cell_timeout: 5m
            """;

    @TempDir
    Path tmp;


    /** When to kill one launch: after this many new cell lines (or the last cell's line), or after a delay. */
    private record KillPoint(int afterCellLines, boolean afterLastCell, long afterMillis) {
        static KillPoint cells(int n) {
            return new KillPoint(n, false, -1);
        }

        static KillPoint lastCell() {
            return new KillPoint(-1, true, -1);
        }

        static KillPoint millis(long ms) {
            return new KillPoint(-1, false, ms);
        }
    }

    @Test
    void aGridKilledAtSeveralPointsResumesToTheBoardOfAnUninterruptedRun() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Launch.assumeBuilt();
        Path grid = Files.writeString(tmp.resolve("kill-resume.yaml"), GRID);
        Path whole = tmp.resolve("whole");
        Path killed = tmp.resolve("killed");

        assertEquals(0, launch(grid, whole, null), "uninterrupted run");
        byte[] expected = Files.readAllBytes(whole.resolve("leaderboards/kill-resume.csv"));
        assertEquals(1 + 4, new String(expected, StandardCharsets.UTF_8).lines().count(), "header + one row per defense x attack");

        Random random = new Random(20261125L);
        List<KillPoint> points = new ArrayList<>(List.of(KillPoint.cells(1), KillPoint.cells(2)));
        for (int i = 0; i < 3; i++) {
            points.add(KillPoint.millis(300 + random.nextInt(3500)));
        }
        points.add(KillPoint.lastCell());
        int kills = 0;
        for (KillPoint point : points) {
            int exit = launch(grid, killed, point);
            if (exit == -9) {
                kills++;
            } else {
                assertEquals(0, exit, "a launch that ran to the end after " + kills + " kills (" + point + ")");
            }
            assertStoreReadsBack(killed);
        }
        // the two cell-count points always hit a live process: 8 cells remain for the first, 7 for the second
        assertTrue(kills >= 2, "only " + kills + " launches were killed");
        System.out.println("kill-resume: " + kills + " of " + points.size() + " launches killed");

        assertEquals(0, launch(grid, killed, null), "resumed run");
        assertStoreReadsBack(killed);
        assertEquals(new String(expected, StandardCharsets.UTF_8),
                Files.readString(killed.resolve("leaderboards/kill-resume.csv")));
        try (Stream<Path> all = Files.walk(killed)) {
            List<Path> temps = all.filter(p -> p.getFileName().toString().contains(AtomicFiles.TEMP_MARKER)).toList();
            assertEquals(List.of(), temps, "temp files left after the resumed run");
        }
        try (Stream<Path> records = Files.list(killed.resolve(".bfabench/store/kill-resume"))) {
            assertEquals(CELLS, records.filter(p -> p.toString().endsWith(".json")).count());
        }
    }

    /**
     * Launches {@code ./bfabench run} on {@code grid} into {@code out}.
     *
     * @return the exit code, or -9 when this launch was killed while still running
     */
    private int launch(Path grid, Path out, KillPoint kill) throws IOException, InterruptedException {
        ProcessBuilder pb = Launch.builder(tmp, "run", "--grid", grid.toString(), "--out", out.toString(), "--offline")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        int[] seen = new int[1];
        boolean[] lastSeen = new boolean[1];
        Object lock = new Object();
        Thread reader = new Thread(() -> readCellLines(p.getErrorStream(), seen, lastSeen, lock), "stderr-reader");
        reader.setDaemon(true);
        reader.start();
        if (kill != null) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            synchronized (lock) {
                while (p.isAlive() && System.nanoTime() < deadline) {
                    boolean due = kill.afterMillis() >= 0
                            ? System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(kill.afterMillis())
                            : kill.afterLastCell() ? lastSeen[0] : seen[0] >= kill.afterCellLines();
                    if (due) {
                        break;
                    }
                    lock.wait(20);
                }
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                assertTrue(p.waitFor(1, TimeUnit.MINUTES), "killed process did not end");
                return -9;
            }
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "bfabench did not finish");
        reader.join(10_000);
        return p.exitValue();
    }

    private static void readCellLines(InputStream err, int[] seen, boolean[] lastSeen, Object lock) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                var m = CELL_LINE.matcher(line);
                if (m.matches()) {
                    synchronized (lock) {
                        seen[0]++;
                        lastSeen[0] |= m.group(1).equals(m.group(2));
                        lock.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed: its pipe closes
        }
    }

    /**
     * Everything a reader would pick up parses completely: records (each OK one with its trace), traces,
     * cached models and the board; temp files are the only thing allowed to be partial.
     */
    private static void assertStoreReadsBack(Path out) throws IOException {
        Path store = out.resolve(".bfabench/store/kill-resume");
        if (Files.isDirectory(store)) {
            try (Stream<Path> files = Files.list(store)) {
                for (Path f : files.filter(KillResumeTest::finished).filter(p -> p.toString().endsWith(".json")).toList()) {
                    CellRecord r;
                    try {
                        r = Json.mapper().readValue(f.toFile(), CellRecord.class);
                    } catch (IOException e) {
                        throw new AssertionError("corrupt record " + f + ": " + e.getMessage(), e);
                    }
                    assertEquals(CellRecord.FORMAT, r.format(), f.toString());
                    assertEquals(CellStatus.OK, r.status(), f + ": " + r.message());
                    assertTrue(Files.isRegularFile(store.resolve("traces").resolve(r.key() + ".csv.gz")),
                            "record without its trace: " + f);
                }
            }
            try (Stream<Path> traces = Files.list(store.resolve("traces"))) {
                for (Path t : traces.filter(KillResumeTest::finished).toList()) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(t))) {
                        assertTrue(in.readAllBytes().length > 0, "empty trace " + t);
                    } catch (IOException e) {
                        throw new AssertionError("corrupt trace " + t + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        Path models = out.resolve(".bfabench/cache/models");
        if (Files.isDirectory(models)) {
            try (Stream<Path> files = Files.list(models)) {
                for (Path npz : files.filter(KillResumeTest::finished).filter(p -> p.toString().endsWith(".npz")).toList()) {
                    assertCompleteZip(npz);
                }
            }
        }
        Path board = out.resolve("leaderboards/kill-resume.csv");
        if (Files.isRegularFile(board)) {
            String text = Files.readString(board);
            assertTrue(text.endsWith("\n"), "board cut short:\n" + text);
            for (var row : Cli.board(board)) {
                assertTrue(row.isConsistent(), "board row cut short: " + row);
            }
        }
    }

    private static boolean finished(Path p) {
        return !p.getFileName().toString().contains(AtomicFiles.TEMP_MARKER) && Files.isRegularFile(p);
    }

    private static void assertCompleteZip(Path npz) throws IOException {
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(npz))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                entries++;
            }
        } catch (IOException e) {
            fail("corrupt cached model " + npz + ": " + e.getMessage());
        }
        assertTrue(entries > 0, "cached model without entries: " + npz);
    }
}
