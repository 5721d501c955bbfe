package org.bfabench.harness.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.bfabench.spi.BenchException;

/**
 * Derives a grid's board from its store records, and nothing else:
 * {@code <dir>/<grid>.csv}, {@code <dir>/<grid>.png}, {@code <dir>/<grid>.run.json} (wall-clock facts,
 * which the CSV never holds), {@code <dir>/<grid>/traces/<dataset>/<model>/<defense>/<attack>/seed-<s>.csv.gz}
 * and {@code <dir>/README.md} (the column documentation). The one input besides the records is
 * {@code <dir>/throughput.csv} when present: its inference figures fill the board's inference columns
 * ({@link InferenceThroughput}), so a run, a merge and a nightly all join the same table as
 * {@code bfabench bench} does.
 */
public final class LeaderboardWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaderboardWriter.class);

    private LeaderboardWriter() {
    }

    /**
     * @param records  the grid's records (any order)
     * @param store    where their traces are
     * @param dir      the {@code leaderboards} directory
     * @param grid     grid name
     * @param runFacts facts about the run for {@code <grid>.run.json}
     */
    public static Leaderboard write(List<CellRecord> records, ResultStore store, Path dir, String grid,
            Map<String, Object> runFacts) {
        List<BoardRow> rows = new BoardBuilder().rows(records);
        Path csv = dir.resolve(grid + ".csv");
        InferenceThroughput throughput = throughput(dir);
        AtomicFiles.write(csv, BoardCsv.render(rows, throughput).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("README.md"), columnDocs());
        for (CellRecord r : records) {
            if (r.status() == CellStatus.OK) {
                Optional<byte[]> trace = store.readTrace(r.key());
                trace.ifPresent(t -> AtomicFiles.write(tracePath(dir, grid, r), t));
            }
        }
        Path png = dir.resolve(grid + ".png");
        AccuracyPlot.write(records, store, png);
        Path report = dir.resolve(grid + ".run.json");
        writeReport(report, records, runFacts);
        return new Leaderboard(csv, png, report, rows, ConsoleTable.render(rows));
    }

    /**
     * A broken throughput table must not cost the board of a run that may have taken hours: the board is
     * written with empty inference columns and the problem is logged; {@code bfabench bench} rejoins later.
     */
    private static InferenceThroughput throughput(Path dir) {
        try {
            return InferenceThroughput.read(dir.resolve(InferenceThroughput.FILE));
        } catch (BenchException e) {
            LOG.warn("{}; the board's inference columns are left empty", e.getMessage());
            return InferenceThroughput.NONE;
        }
    }

    static Path tracePath(Path dir, String grid, CellRecord r) {
        return dir.resolve(grid).resolve("traces").resolve(r.config().dataset().id()).resolve(r.config().model().id())
                .resolve(r.config().defense().id()).resolve(r.config().attack().id())
                .resolve("seed-" + r.config().seedLabel().replace('/', '-') + ".csv.gz");
    }

    private static void writeReport(Path report, List<CellRecord> records, Map<String, Object> runFacts) {
        Map<String, Object> doc = new LinkedHashMap<>(runFacts);
        doc.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        doc.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        doc.put("processors", Runtime.getRuntime().availableProcessors());
        doc.put("host", Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown"));
        List<Map<String, Object>> cells = new ArrayList<>();
        for (CellRecord r : records) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("key", r.key());
            c.put("cell", r.config().dataset().id() + "/" + r.config().model().id() + "/" + r.config().defense().id()
                    + "/" + r.config().attack().id() + " seed " + r.config().seedLabel());
            c.put("status", r.status().label());
            if (r.timing() != null) {
                c.put("training_seconds", r.timing().trainingSeconds());
                c.put("model_from_cache", r.timing().modelFromCache());
                c.put("attack_seconds", r.timing().attackSeconds());
                c.put("attack_seconds_per_flip", r.timing().attackSecondsPerFlip());
            }
            c.put("git_commit", r.provenance().gitCommit());
            cells.add(c);
        }
        doc.put("cells", cells);
        ObjectMapper json = Json.mapper();
        try {
            AtomicFiles.write(report, json.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] columnDocs() {
        try (InputStream in = LeaderboardWriter.class.getResourceAsStream("/board/COLUMNS.md")) {
            if (in == null) {
                throw new IllegalStateException("resource /board/COLUMNS.md missing from the harness jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
