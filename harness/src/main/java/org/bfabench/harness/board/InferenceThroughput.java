package org.bfabench.harness.board;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.spi.BenchException;

/**
 * The inference figures a board joins from {@code leaderboards/throughput.csv} (written by
 * {@code bfabench bench}): the rows with {@code benchmark} = {@code inference} and {@code path} =
 * {@code model}, i.e. images/s through {@code DefendedModel.predict}, the path grids and attacks use.
 * The figures are kept as the text the table holds, so joining never re-rounds them.
 *
 * @param figures by (model, defense)
 */
public record InferenceThroughput(Map<ModelDefense, Figure> figures) {
    /** The table's file name in a {@code leaderboards} directory. */
    public static final String FILE = "throughput.csv";
    /** No table: every board row gets empty inference columns. */
    public static final InferenceThroughput NONE = new InferenceThroughput(Map.of());
    private static final List<String> REQUIRED = List.of("benchmark", "model", "defense", "path", "unit", "score",
            "score_error");

    public InferenceThroughput {
        figures = Map.copyOf(figures);
    }

    /** A row's identity in the throughput table. */
    public record ModelDefense(String model, String defense) {
    }

    /**
     * @param imagesPerSecond the {@code score} field, images per second
     * @param error           the {@code score_error} field (JMH's 99.9 % half-width), empty when JMH gave none
     */
    public record Figure(String imagesPerSecond, String error) {
    }

    public Optional<Figure> of(String model, String defense) {
        return Optional.ofNullable(figures.get(new ModelDefense(model, defense)));
    }

    /** The table in {@code csv}, or {@link #NONE} when there is no such file. */
    public static InferenceThroughput read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return NONE;
        }
        try {
            return parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
        } catch (IOException e) {
            throw new BenchException("throughput table " + csv + ": cannot read it (" + e.getMessage()
                    + "); rerun 'bfabench bench' or delete the file", e);
        }
    }

    static InferenceThroughput parse(String text, String origin) {
        Map<ModelDefense, Figure> figures = new HashMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            for (String column : REQUIRED) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new BenchException("throughput table " + origin + ": no '" + column + "' column; rerun "
                            + "'bfabench bench' to rewrite it");
                }
            }
            for (CSVRecord r : parser) {
                if (!r.get("benchmark").equals("inference") || !r.get("path").equals("model")) {
                    continue;
                }
                String where = "throughput table " + origin + " line " + (r.getRecordNumber() + 1);
                if (!r.get("unit").equals("img/s")) {
                    throw new BenchException(where + ": inference unit '" + r.get("unit") + "', expected img/s; rerun "
                            + "'bfabench bench' to rewrite it");
                }
                Figure f = new Figure(number(r.get("score"), where, false), number(r.get("score_error"), where, true));
                if (figures.put(new ModelDefense(r.get("model"), r.get("defense")), f) != null) {
                    throw new BenchException(where + ": a second inference figure for " + r.get("model") + "/"
                            + r.get("defense") + "; rerun 'bfabench bench' to rewrite the table");
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BenchException("throughput table " + origin + ": malformed CSV (" + e.getMessage()
                    + "); rerun 'bfabench bench' to rewrite it", e);
        }
        return new InferenceThroughput(figures);
    }

    private static String number(String field, String where, boolean mayBeEmpty) {
        String v = field.strip();
        if (v.isEmpty() && mayBeEmpty) {
            return "";
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d) || d < 0) {
            throw new BenchException(where + ": '" + field + "' is not a non-negative number; rerun 'bfabench bench'"
                    + " to rewrite the table");
        }
        return v;
    }
}
