package org.bfabench.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.TreeSet;
import org.bfabench.harness.board.Leaderboard;
import org.bfabench.harness.board.LeaderboardWriter;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.bfabench.spi.BenchException;

/**
 * Merges the result stores of shard runs ({@code --shard i/N} on several machines) into one store under
 * {@code outDir} and writes that store's board. Because a board is a pure function of its store and
 * the shards partition the cells, merging N shards gives the same CSV as one unsharded run.
 *
 * <p>Each argument is either a shard's output directory (containing {@code .bfabench/store/<grid>/})
 * or a grid store directory itself. All records must come from the same grid file (same SHA-256).
 */
public final class Merger {
    private Merger() {
    }

    public static RunSummary merge(List<Path> storeDirs, Path outDir) {
        long started = System.currentTimeMillis();
        List<Path> stores = new ArrayList<>();
        for (Path p : storeDirs) {
            stores.addAll(resolveStores(p));
        }
        Map<String, CellRecord> byKey = new LinkedHashMap<>();
        Map<String, ResultStore> source = new LinkedHashMap<>();
        TreeSet<String> grids = new TreeSet<>();
        TreeSet<String> shas = new TreeSet<>();
        for (Path dir : stores) {
            ResultStore store = ResultStore.open(dir);
            for (CellRecord r : store.readAll()) {
                grids.add(r.config().grid());
                shas.add(r.config().gridSha256());
                CellRecord previous = byKey.get(r.key());
                // the same cell in two stores (a rerun): prefer a final result over a failed attempt
                if (previous == null || !previous.status().isFinal() && r.status().isFinal()) {
                    byKey.put(r.key(), r);
                    source.put(r.key(), store);
                }
            }
        }
        if (byKey.isEmpty()) {
            throw new BenchException("merge: no cell records found in " + storeDirs
                    + "; pass the --out directories of the shard runs");
        }
        if (grids.size() > 1 || shas.size() > 1) {
            throw new BenchException("merge: the stores hold results of different grids or grid files (" + grids
                    + ", sha256 " + shas + "); merge only shards of one grid file (delete stale records)");
        }
        String grid = grids.first();
        ResultStore merged = ResultStore.open(outDir.resolve(".bfabench").resolve("store").resolve(grid));
        for (Map.Entry<String, CellRecord> e : byKey.entrySet()) {
            ResultStore from = source.get(e.getKey());
            if (from.dir().toAbsolutePath().normalize().equals(merged.dir().toAbsolutePath().normalize())) {
                continue;
            }
            merged.write(e.getValue(), from.readTrace(e.getKey()));
        }
        List<CellRecord> records = merged.readAll().stream().filter(r -> byKey.containsKey(r.key())).toList();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("grid", grid);
        facts.put("grid_sha256", shas.first());
        facts.put("merged_from", stores.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
        facts.put("merged_at", Instant.ofEpochMilli(started).toString());
        Leaderboard board = LeaderboardWriter.write(records, merged, outDir.resolve("leaderboards"), grid, facts);
        int failed = (int) records.stream().filter(r -> !r.status().isFinal()).count();
        int na = (int) records.stream().filter(r -> r.status() == CellStatus.NOT_APPLICABLE).count();
        return new RunSummary(board.csv(), 0, records.size(), failed, na, board.consoleTable());
    }

    private static List<Path> resolveStores(Path p) {
        Path root = p.resolve(".bfabench").resolve("store");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> grids = Files.newDirectoryStream(root, Files::isDirectory)) {
                grids.forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            found.sort(null);
        } else if (Files.isDirectory(p)) {
            found.add(p);
        } else {
            throw new BenchException("merge: " + p + " is not a directory; pass the --out directory of a shard run");
        }
        return found;
    }

}
