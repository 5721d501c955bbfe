package org.bfabench.harness.nightly;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.spi.BenchException;

/**
 * A leaderboard CSV read back by column name (so boards written before a column was added still
 * compare): one map of column → field per (dataset, model, defense, attack).
 *
 * @param origin where it was read from, for messages
 * @param rows   the rows by key, sorted
 */
public record BoardTable(String origin, SortedMap<RowKey, Map<String, String>> rows) {
    static final List<String> KEY_COLUMNS = List.of("dataset", "model", "defense", "attack");

    public BoardTable {
        rows = Collections.unmodifiableSortedMap(new TreeMap<>(rows));
    }

    public static BoardTable read(Path csv) {
        try {
            return parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
        } catch (IOException e) {
            throw new BenchException("board " + csv + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    public static BoardTable parse(String text, String origin) {
        SortedMap<RowKey, Map<String, String>> rows = new TreeMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            for (String column : KEY_COLUMNS) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new BenchException("board " + origin + ": no '" + column + "' column; it is not a bfabench "
                            + "leaderboard CSV (regenerate it with 'bfabench run')");
                }
            }
            for (CSVRecord r : parser) {
                RowKey key = new RowKey(r.get("dataset"), r.get("model"), r.get("defense"), r.get("attack"));
                if (rows.put(key, r.toMap()) != null) {
                    throw new BenchException("board " + origin + " line " + (r.getRecordNumber() + 1) + ": row " + key
                            + " appears twice; regenerate the board with 'bfabench run'");
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BenchException("board " + origin + ": malformed CSV (" + e.getMessage()
                    + "); regenerate it with 'bfabench run'", e);
        }
        return new BoardTable(origin, rows);
    }
}
