package org.bfabench.harness.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir
    Path dir;

    private static CellRecord record(String key, CellStatus status) {
        CellConfig c = new CellConfig("g", "s", "q8", new ComponentVersion("ds", "1", Map.of("limit", 5)), "d",
                new ComponentVersion("m", "1", Map.of()), new ComponentVersion("f", "1", Map.of()),
                new ComponentVersion("a", "1", Map.of("k_top", 10, "mode", "all")), 1, 2, 1, 32, 0, 0, 10, 0, 0.11);
        CellResult r = status != CellStatus.OK ? null : new CellResult(0.9, 100, 50, 0.92, 3, false, "THRESHOLD_REACHED",
                "", 0.1, List.of(new CellResult.AccuracyAt(1, 0.5)), List.of(new CellResult.LayerFlips(0, "fc", 3)),
                List.of("fc"), 80, 10, 4, Map.of("widths", "4"));
        return new CellRecord(CellRecord.FORMAT, key, "mk", c, status, status == CellStatus.OK ? "" : "why", r,
                new Timing(1.5, false, 0.3, 0.1), new Provenance("v", "c", "1.0"));
    }

    @Test
    void aRecordAndItsTraceRoundTripThroughJson() {
        ResultStore store = ResultStore.open(dir);
        CellRecord r = record("k1", CellStatus.OK);
        store.write(r, Optional.of(new byte[] {1, 2, 3}));
        assertEquals(r, store.read("k1").orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3}, store.readTrace("k1").orElseThrow());
        assertTrue(store.isFinished("k1"));
    }

    @Test
    void failedAndTimedOutCellsAreNotFinishedButNotApplicableOnesAre() {
        ResultStore store = ResultStore.open(dir);
        store.write(record("f", CellStatus.FAILED), Optional.empty());
        store.write(record("t", CellStatus.TIMEOUT), Optional.empty());
        store.write(record("n", CellStatus.NOT_APPLICABLE), Optional.empty());
        assertFalse(store.isFinished("f"));
        assertFalse(store.isFinished("t"));
        assertTrue(store.isFinished("n"));
        assertFalse(store.isFinished("absent"));
    }

    @Test
    void halfWrittenTempFilesAreIgnoredAndRemovedWhenTheStoreOpens() throws Exception {
        ResultStore store = ResultStore.open(dir);
        store.write(record("a", CellStatus.OK), Optional.empty());
        Path temp = dir.resolve("b.json.partial-77-1.tmp");
        Files.writeString(temp, "{\"format\":1,\"ke");
        Path traceTemp = dir.resolve("traces/b.csv.gz.partial-77-1.tmp");
        Files.write(traceTemp, new byte[] {31});
        assertEquals(List.of("a"), store.readAll().stream().map(CellRecord::key).toList());
        ResultStore.open(dir);
        assertFalse(Files.exists(temp));
        assertFalse(Files.exists(traceTemp));
        assertTrue(Files.exists(dir.resolve("a.json")));
    }

    @Test
    void aCorruptRecordIsABenchExceptionNamingTheFile() throws Exception {
        ResultStore store = ResultStore.open(dir);
        Files.writeString(dir.resolve("bad.json"), "{not json");
        String m = assertThrows(BenchException.class, () -> store.read("bad")).getMessage();
        assertTrue(m.contains("bad.json") && m.contains("delete it"), m);
    }
}
