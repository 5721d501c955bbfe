package org.bfabench.harness.board;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.spi.BenchException;

/**
 * Joins a new throughput table into boards that already exist, without their result stores: only the
 * {@link BoardCsv#INFERENCE_COLUMNS} fields change, every other byte of the file stays as it was. A board
 * written before those columns existed gets them inserted where {@link BoardCsv#COLUMNS} puts them.
 *
 * <p>A board is rewritten only when re-printing it unchanged reproduces its bytes exactly (it is as
 * {@link BoardCsv} writes boards); otherwise the field-wise rewrite could alter quoting or line ends of
 * other fields, so such a file is left alone and reported.
 */
public final class ThroughputJoin {
    /** The column that tells a board from the other CSVs of a leaderboards directory. */
    private static final String BOARD_MARKER = "flips_to_random_mean";

    private ThroughputJoin() {
    }

    /**
     * @param joined   boards whose inference columns now match the table (rewritten or already equal)
     * @param problems one line per board that could not be joined
     */
    public record Result(List<Path> joined, List<String> problems) {
        public Result {
            joined = List.copyOf(joined);
            problems = List.copyOf(problems);
        }
    }

    /** Joins {@code dir/throughput.csv} (none: empty figures) into every board CSV in {@code dir}. */
    public static Result rejoinAll(Path dir) {
        InferenceThroughput throughput = InferenceThroughput.read(dir.resolve(InferenceThroughput.FILE));
        List<Path> csvs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.csv")) {
            files.forEach(csvs::add);
        } catch (IOException e) {
            throw new BenchException("leaderboards directory " + dir + ": cannot list it (" + e.getMessage() + ")", e);
        }
        csvs.sort(null);
        List<Path> joined = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path csv : csvs) {
            if (csv.getFileName().toString().equals(InferenceThroughput.FILE) || csv.getFileName().toString().contains(
                    AtomicFiles.TEMP_MARKER)) {
                continue;
            }
            try {
                String before = Files.readString(csv, StandardCharsets.UTF_8);
                if (!isBoard(before)) {
                    continue;
                }
                String after = rejoin(before, csv.toString(), throughput);
                if (!after.equals(before)) {
                    AtomicFiles.write(csv, after.getBytes(StandardCharsets.UTF_8));
                }
                joined.add(csv);
            } catch (IOException | UncheckedIOException e) {
                problems.add("board " + csv + ": cannot read it (" + e.getMessage() + ")");
            } catch (BenchException e) {
                problems.add(e.getMessage());
            }
        }
        return new Result(joined, problems);
    }

    /** Whether the header row names the columns of a leaderboard. */
    static boolean isBoard(String text) {
        List<List<String>> records = parse(text, "");
        return !records.isEmpty() && records.get(0).containsAll(List.of("dataset", "model", "defense", BOARD_MARKER));
    }

    /** {@code board} with its inference columns set from {@code throughput}; every other field unchanged. */
    public static String rejoin(String board, String origin, InferenceThroughput throughput) {
        List<List<String>> records = parse(board, origin);
        if (!print(records).equals(board)) {
            throw new BenchException("board " + origin + " is not laid out as bfabench writes boards (quoting, line "
                    + "ends or a blank line); regenerate it with 'bfabench run' (or 'bfabench merge') and rerun 'bfabench bench'");
        }
        if (records.isEmpty()) {
            throw new BenchException("board " + origin + " is empty; regenerate it with 'bfabench run'");
        }
        List<String> header = records.get(0);
        for (List<String> r : records) {
            if (r.size() != header.size()) {
                throw new BenchException("board " + origin + ": a row has " + r.size() + " fields for " + header.size()
                        + " columns; regenerate it with 'bfabench run'");
            }
        }
        for (String column : BoardCsv.INFERENCE_COLUMNS) {
            if (!header.contains(column)) {
                int at = insertionIndex(header, column);
                for (List<String> r : records) {
                    r.add(at, r == header ? column : "");
                }
            }
        }
        int model = header.indexOf("model");
        int defense = header.indexOf("defense");
        int figure = header.indexOf(BoardCsv.INFERENCE_COLUMNS.get(0));
        int error = header.indexOf(BoardCsv.INFERENCE_COLUMNS.get(1));
        for (List<String> r : records.subList(1, records.size())) {
            List<String> values = BoardCsv.inference(throughput, r.get(model), r.get(defense));
            r.set(figure, values.get(0));
            r.set(error, values.get(1));
        }
        return print(records);
    }

    /** After the nearest column that precedes {@code column} in {@link BoardCsv#COLUMNS} and is present. */
    private static int insertionIndex(List<String> header, String column) {
        for (int i = BoardCsv.COLUMNS.indexOf(column) - 1; i >= 0; i--) {
            int at = header.indexOf(BoardCsv.COLUMNS.get(i));
            if (at >= 0) {
                return at + 1;
            }
        }
        return header.size();
    }

    private static List<List<String>> parse(String text, String origin) {
        List<List<String>> records = new ArrayList<>();
        try (CSVParser parser = BoardCsv.FORMAT.parse(new StringReader(text))) {
            for (CSVRecord r : parser) {
                records.add(new ArrayList<>(r.toList()));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new BenchException("board " + origin + ": malformed CSV (" + e.getMessage()
                    + "); regenerate it with 'bfabench run'", e);
        }
        return records;
    }

    private static String print(List<List<String>> records) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, BoardCsv.FORMAT)) {
            for (List<String> r : records) {
                csv.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
