package org.bfabench.harness.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.spi.BenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One grid's result store: {@code <dir>/<cell key>.json} per finished cell and
 * {@code <dir>/traces/<cell key>.csv.gz} for its per-flip trace.
 *
 * <p>Every file is written atomically ({@link AtomicFiles}); the trace before the record, so a record
 * on disk always has its trace. Opening a store deletes temp files a killed run left behind.
 */
public final class ResultStore {
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
    private final Path dir;
    private final ObjectMapper json = Json.mapper();

    private ResultStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the store in {@code dir} and removes half-written temp files. */
    public static ResultStore open(Path dir) {
        try {
            Files.createDirectories(dir.resolve("traces"));
        } catch (IOException e) {
            throw new BenchException("result store " + dir + ": cannot create it (" + e.getMessage()
                    + "); choose a writable --out directory", e);
        }
        for (Path p : AtomicFiles.deleteTemps(dir)) {
            LOG.info("removed half-written file {}", p);
        }
        for (Path p : AtomicFiles.deleteTemps(dir.resolve("traces"))) {
            LOG.info("removed half-written file {}", p);
        }
        return new ResultStore(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path recordFile(String key) {
        return dir.resolve(key + ".json");
    }

    public Path traceFile(String key) {
        return dir.resolve("traces").resolve(key + ".csv.gz");
    }

    public Optional<CellRecord> read(String key) {
        Path f = recordFile(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(readFile(f));
    }

    /** True when the cell has a final record (OK or N/A): a rerun skips it. */
    public boolean isFinished(String key) {
        return read(key).map(r -> r.status().isFinal()).orElse(false);
    }

    /** Writes the trace (if any) and then the record, each atomically. */
    public void write(CellRecord record, Optional<byte[]> gzippedTrace) {
        gzippedTrace.ifPresent(t -> AtomicFiles.write(traceFile(record.key()), t));
        try {
            AtomicFiles.write(recordFile(record.key()), json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record in the store, sorted by key. */
    public List<CellRecord> readAll() {
        List<CellRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                if (!f.getFileName().toString().contains(AtomicFiles.TEMP_MARKER)) {
                    records.add(readFile(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        records.sort(Comparator.comparing(CellRecord::key));
        return records;
    }

    /** The gzip trace bytes of a cell, if stored. */
    public Optional<byte[]> readTrace(String key) {
        Path f = traceFile(key);
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream openTrace(String key) throws IOException {
        return Files.newInputStream(traceFile(key));
    }

    private CellRecord readFile(Path f) {
        try {
            CellRecord r = json.readValue(f.toFile(), CellRecord.class);
            if (r.format() != CellRecord.FORMAT || r.key() == null || r.config() == null || r.status() == null) {
                throw new BenchException("result file " + f + ": not a bfabench cell record of format "
                        + CellRecord.FORMAT + "; delete it to recompute the cell");
            }
            return r;
        } catch (IOException e) {
            throw new BenchException("result file " + f + ": unreadable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); delete it to recompute the cell", e);
        }
    }
}
