package org.bfabench.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.nightly.BoardTable;
import org.bfabench.harness.nightly.RowKey;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellResult;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ComponentVersion;
import org.bfabench.harness.store.Provenance;
import org.bfabench.harness.store.ResultStore;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputJoinTest {
    /**
     * A real board written before the inference columns existed: leaderboards/fmnist-standard.csv as
     * committed in 167ba68, kept as a fixture because the committed board itself now has the columns.
     */
    private static final Path COMMITTED = Path.of("src", "test", "resources", "board",
            "fmnist-standard-without-inference-columns.csv");

    /** Rows as {@code bfabench bench} writes them: model-path, float-path and non-inference rows. */
    private static final String THROUGHPUT = """
            benchmark,model,defense,path,unit,score,score_error,samples,jvm,date
            inference,cnn-small,quantized-8bit,model,img/s,4047,276.1,5,17.0.15 OpenJDK 64-Bit Server VM,2026-11-25T06:16:15Z
            inference,cnn-small,bnn,model,img/s,3735,,5,17.0.15 OpenJDK 64-Bit Server VM,2026-11-25T06:16:15Z
            inference,cnn-small,bnn,float,img/s,3954,434.6,5,17.0.15 OpenJDK 64-Bit Server VM,2026-11-25T06:16:15Z
            inference,resnet20,ra-bnn,model,img/s,482.2,45.97,5,17.0.15 OpenJDK 64-Bit Server VM,2026-11-25T06:16:15Z
            pbs_iteration,cnn-small,quantized-8bit,attack,s/iteration,3.334,1.122,5,17.0.15 OpenJDK 64-Bit Server VM,2026-11-25T06:16:15Z
            """;

    @TempDir
    Path tmp;

    private static InferenceThroughput throughput() {
        return InferenceThroughput.parse(THROUGHPUT, "throughput.csv");
    }

    private static List<CSVRecord> records(String csv) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))
                .getRecords();
    }

    private static CellRecord cell(String model, String defense, long seed, int flips) {
        CellConfig config = new CellConfig("g", "gridsha", "quantized-8bit", new ComponentVersion("ds", "1", Map.of()),
                "datasha", new ComponentVersion(model, "2", Map.of()), new ComponentVersion(defense, "3", Map.of()),
                new ComponentVersion("pbfa", "4", Map.of()), seed, seed, 1, 32, 0, 0, 100, 0, 0.11);
        CellResult r = new CellResult(0.9, 1000, 500, 0.9, flips, false, "THRESHOLD_REACHED", "", 0.1, List.of(),
                List.of(new CellResult.LayerFlips(0, "fc", flips)), List.of("fc"), 800, 100, 10, Map.of());
        return new CellRecord(CellRecord.FORMAT, model + defense + seed, "m" + model + defense + seed, config,
                CellStatus.OK, "", r, null, new Provenance("0.1", "abc", "1.0"));
    }

    private static List<CellRecord> cells() {
        return List.of(cell("cnn-small", "quantized-8bit", 1, 10), cell("cnn-small", "quantized-8bit", 2, 14),
                cell("cnn-small", "bnn", 1, 40), cell("cnn-small", "binary-weights", 1, 30),
                cell("resnet20", "bnn", 1, 50));
    }

    @Test
    void onlyTheModelPathInferenceRowsAreReadAndTheirTextIsKept() {
        InferenceThroughput t = throughput();
        assertEquals(3, t.figures().size());
        assertEquals(new InferenceThroughput.Figure("4047", "276.1"), t.of("cnn-small", "quantized-8bit").orElseThrow());
        assertEquals(new InferenceThroughput.Figure("3735", ""), t.of("cnn-small", "bnn").orElseThrow(),
                "the model path, not the float path's 3954");
        assertTrue(t.of("resnet20", "quantized-8bit").isEmpty());
        assertEquals(InferenceThroughput.NONE, InferenceThroughput.read(tmp.resolve("absent.csv")));
    }

    @Test
    void aBrokenThroughputTableIsAUserErrorNamingTheFileAndLine() {
        BenchException unit = assertThrows(BenchException.class, () -> InferenceThroughput.parse(
                THROUGHPUT.replace("model,img/s,4047", "model,ms/op,4047"), "t.csv"));
        assertTrue(unit.getMessage().startsWith("throughput table t.csv line 2: inference unit 'ms/op'"), unit.getMessage());
        BenchException nan = assertThrows(BenchException.class, () -> InferenceThroughput.parse(
                THROUGHPUT.replace("482.2", "fast"), "t.csv"));
        assertTrue(nan.getMessage().contains("'fast'"), nan.getMessage());
        BenchException twice = assertThrows(BenchException.class, () -> InferenceThroughput.parse(
                THROUGHPUT + THROUGHPUT.lines().skip(1).findFirst().orElseThrow() + "\n", "t.csv"));
        assertTrue(twice.getMessage().contains("second inference figure for cnn-small/quantized-8bit"), twice.getMessage());
    }

    @Test
    void aRenderedBoardCarriesTheFigureOfItsModelAndDefenseAndEmptyFieldsWhereTheTableHasNone() throws IOException {
        List<CSVRecord> rows = records(BoardCsv.render(new BoardBuilder().rows(cells()), throughput()));
        assertEquals(List.of("cnn-small/binary-weights: /", "cnn-small/bnn:3735/", "cnn-small/quantized-8bit:4047/276.1",
                "resnet20/bnn: /"), rows.stream().map(r -> r.get("model") + "/" + r.get("defense") + ":"
                        + (r.get("infer_img_per_s").isEmpty() ? " " : r.get("infer_img_per_s")) + "/"
                        + r.get("infer_img_per_s_error")).toList());
        assertEquals(BoardCsv.COLUMNS.indexOf("params") + 1, BoardCsv.COLUMNS.indexOf("infer_img_per_s"));
    }

    @Test
    void joiningIntoTheCommittedBoardInsertsTheTwoColumnsAndLeavesEveryOtherFieldAndByteAsItWas() throws IOException {
        String before = Files.readString(COMMITTED, StandardCharsets.UTF_8);
        String after = ThroughputJoin.rejoin(before, COMMITTED.toString(), throughput());

        List<String> was = before.lines().toList();
        List<String> now = after.lines().toList();
        assertEquals(was.size(), now.size());
        assertTrue(after.endsWith("\n") && !after.contains("\r"));
        // no field of this board is quoted, so removing the two inserted fields must give the old line exactly
        int at = BoardCsv.COLUMNS.indexOf("infer_img_per_s");
        for (int i = 0; i < was.size(); i++) {
            List<String> fields = new ArrayList<>(List.of(now.get(i).split(",", -1)));
            List<String> inserted = List.copyOf(fields.subList(at, at + 2));
            fields.subList(at, at + 2).clear();
            assertEquals(was.get(i), String.join(",", fields), "line " + (i + 1));
            if (i == 0) {
                assertEquals(BoardCsv.INFERENCE_COLUMNS, inserted);
                assertEquals(String.join(",", BoardCsv.COLUMNS), now.get(0), "the joined header is today's header");
            } else if (now.get(i).startsWith("fashion-mnist,cnn-small,quantized-8bit,")) {
                assertEquals(List.of("4047", "276.1"), inserted);
            } else if (now.get(i).startsWith("fashion-mnist,cnn-small,bnn,")) {
                assertEquals(List.of("3735", ""), inserted);
            } else {
                assertEquals(List.of("", ""), inserted, now.get(i));
            }
        }
        // the board still parses as a board, with every other column unchanged
        BoardTable old = BoardTable.parse(before, "before");
        BoardTable joined = BoardTable.parse(after, "after");
        assertEquals(old.rows().keySet(), joined.rows().keySet());
        for (RowKey key : old.rows().keySet()) {
            Map<String, String> rest = new java.util.HashMap<>(joined.rows().get(key));
            rest.keySet().removeAll(BoardCsv.INFERENCE_COLUMNS);
            assertEquals(old.rows().get(key), rest, key.toString());
        }
        assertEquals(after, ThroughputJoin.rejoin(after, "after", throughput()), "joining again changes nothing");
        // a later table replaces the figures, and no table empties them
        String emptied = ThroughputJoin.rejoin(after, "after", InferenceThroughput.NONE);
        assertEquals(ThroughputJoin.rejoin(before, "before", InferenceThroughput.NONE), emptied);
        assertTrue(BoardTable.parse(emptied, "emptied").rows().values().stream()
                .allMatch(r -> r.get("infer_img_per_s").isEmpty() && r.get("infer_img_per_s_error").isEmpty()));
    }

    @Test
    void joiningIntoABoardEqualsWritingTheBoardWithTheTable() {
        List<BoardRow> rows = new BoardBuilder().rows(cells());
        String written = BoardCsv.render(rows, throughput());
        assertEquals(written, ThroughputJoin.rejoin(BoardCsv.render(rows), "b.csv", throughput()));
        assertEquals(BoardCsv.render(rows), ThroughputJoin.rejoin(written, "b.csv", InferenceThroughput.NONE));
    }

    @Test
    void rejoinAllRewritesTheBoardsOfTheDirectoryOnlyAndReportsAFileItCannotRewriteWithoutTouchingIt()
            throws IOException {
        List<BoardRow> rows = new BoardBuilder().rows(cells());
        Files.writeString(tmp.resolve("throughput.csv"), THROUGHPUT);
        Files.writeString(tmp.resolve("a.csv"), BoardCsv.render(rows));
        String crlf = BoardCsv.render(rows).replace("\n", "\r\n");
        Files.writeString(tmp.resolve("b.csv"), crlf);
        String regressions = "grid,dataset,model,defense,attack,kind,metric,previous,current,allowed\n";
        Files.writeString(tmp.resolve("regressions.csv"), regressions);

        ThroughputJoin.Result result = ThroughputJoin.rejoinAll(tmp);

        assertEquals(List.of(tmp.resolve("a.csv")), result.joined());
        assertEquals(BoardCsv.render(rows, throughput()), Files.readString(tmp.resolve("a.csv")));
        assertEquals(1, result.problems().size());
        assertTrue(result.problems().get(0).startsWith("board " + tmp.resolve("b.csv") + " is not laid out as bfabench"),
                result.problems().get(0));
        assertEquals(crlf, Files.readString(tmp.resolve("b.csv")));
        assertEquals(regressions, Files.readString(tmp.resolve("regressions.csv")));
        assertEquals(THROUGHPUT, Files.readString(tmp.resolve("throughput.csv")));
    }

    @Test
    void theWriterJoinsTheThroughputTableOfItsDirectoryAndABrokenTableLeavesTheColumnsEmpty() throws IOException {
        ResultStore store = ResultStore.open(tmp.resolve("store"));
        Path dir = tmp.resolve("leaderboards");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("throughput.csv"), THROUGHPUT);

        Leaderboard board = LeaderboardWriter.write(cells(), store, dir, "g", Map.of());

        String csv = Files.readString(board.csv());
        assertEquals(BoardCsv.render(new BoardBuilder().rows(cells()), throughput()), csv);
        assertTrue(Files.readString(dir.resolve("README.md")).contains("`infer_img_per_s`"), "columns documented");

        Files.writeString(dir.resolve("throughput.csv"), THROUGHPUT.replace("4047", "n/a"));
        LeaderboardWriter.write(cells(), store, dir, "g", Map.of());
        assertEquals(BoardCsv.render(new BoardBuilder().rows(cells())), Files.readString(board.csv()));
    }
}
