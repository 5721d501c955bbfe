package org.bfabench.harness.nightly;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.spi.BenchException;

/**
 * Compares a new {@code throughput.csv} with the committed one, configuration by configuration
 * (benchmark, model, defense, path), on the numbers as printed in the CSV (exact decimals).
 *
 * <p>The rule: a configuration regresses ({@link Regression.Kind#THROUGHPUT_DROPPED}) when it got worse
 * and the two JMH intervals [score − score_error, score + score_error] are disjoint — the new interval
 * lies wholly below the committed one for a rate (img/s), wholly above it for a time (s/iteration,
 * s/step). Intervals that touch do not regress. JMH's error is the half-width of its 99.9 % interval,
 * so on a noisy 2-core machine only a drop well beyond the run-to-run spread is reported. An empty
 * error (JMH had too few samples for one) counts as 0: the interval is the score itself. Getting
 * faster is not reported. A configuration only in the committed table is {@code missing_row} (a
 * regression: the plan is fixed, so it means JMH failed on it, e.g. out of memory); one only in the new
 * table is {@code new_row} (reported, not a regression).
 */
public final class ThroughputComparison {
    /** The step's name in the nightly, and the {@code grid} column of its report rows. */
    public static final String STEP = "throughput";
    private static final List<String> REQUIRED = List.of("benchmark", "model", "defense", "path", "unit", "score",
            "score_error");

    private ThroughputComparison() {
    }

    /** A row's identity in the throughput table. */
    public record Configuration(String benchmark, String model, String defense, String path)
            implements Comparable<Configuration> {
        private static final Comparator<Configuration> ORDER = Comparator.comparing(Configuration::benchmark)
                .thenComparing(Configuration::path).thenComparing(Configuration::model).thenComparing(Configuration::defense);

        @Override
        public int compareTo(Configuration o) {
            return ORDER.compare(this, o);
        }
    }

    /**
     * @param unit  img/s, s/iteration or s/step
     * @param score JMH's score
     * @param error JMH's error, empty when it gave none
     */
    public record Measurement(String unit, BigDecimal score, Optional<BigDecimal> error) {
        BigDecimal low() {
            return score.subtract(error.orElse(BigDecimal.ZERO));
        }

        BigDecimal high() {
            return score.add(error.orElse(BigDecimal.ZERO));
        }

        /** True for rates (higher is better), false for times (lower is better). */
        boolean isRate() {
            if (unit.endsWith("/s")) {
                return true;
            }
            if (unit.startsWith("s/")) {
                return false;
            }
            throw new BenchException("throughput table: unit '" + unit + "' is neither a rate (x/s) nor a time (s/x); "
                    + "rerun 'bfabench bench' to rewrite it");
        }

        String text() {
            return score.toPlainString() + error.map(e -> " ± " + e.toPlainString()).orElse("");
        }
    }

    /** A throughput table read back by column name. */
    public record Table(String origin, SortedMap<Configuration, Measurement> rows) {
        public Table {
            rows = Collections.unmodifiableSortedMap(new TreeMap<>(rows));
        }

        public static Table read(Path csv) {
            try {
                return parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
            } catch (IOException e) {
                throw new BenchException("throughput table " + csv + ": cannot read it (" + e.getMessage() + ")", e);
            }
        }

        public static Table parse(String text, String origin) {
            SortedMap<Configuration, Measurement> rows = new TreeMap<>();
            CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
            try (CSVParser parser = format.parse(new StringReader(text))) {
                for (String column : REQUIRED) {
                    if (!parser.getHeaderMap().containsKey(column)) {
                        throw new BenchException("throughput table " + origin + ": no '" + column + "' column; rerun "
                                + "'bfabench bench' to rewrite it");
                    }
                }
                for (CSVRecord r : parser) {
                    String where = "throughput table " + origin + " line " + (r.getRecordNumber() + 1);
                    Configuration key = new Configuration(r.get("benchmark"), r.get("model"), r.get("defense"), r.get("path"));
                    String error = r.get("score_error").strip();
                    Measurement m = new Measurement(r.get("unit"), number(r.get("score"), where),
                            error.isEmpty() ? Optional.empty() : Optional.of(number(error, where)));
                    if (rows.put(key, m) != null) {
                        throw new BenchException(where + ": " + key + " appears twice; rerun 'bfabench bench'");
                    }
                }
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                throw new BenchException("throughput table " + origin + ": malformed CSV (" + e.getMessage()
                        + "); rerun 'bfabench bench' to rewrite it", e);
            }
            return new Table(origin, rows);
        }

        private static BigDecimal number(String field, String where) {
            try {
                return new BigDecimal(field.strip());
            } catch (NumberFormatException e) {
                throw new BenchException(where + ": '" + field + "' is not a number; rerun 'bfabench bench'", e);
            }
        }
    }

    /** Every reported change of {@code current} against {@code previous}, in configuration order. */
    public static List<Regression> compare(Table previous, Table current) {
        TreeSet<Configuration> keys = new TreeSet<>(previous.rows().keySet());
        keys.addAll(current.rows().keySet());
        List<Regression> out = new ArrayList<>();
        for (Configuration key : keys) {
            Measurement before = previous.rows().get(key);
            Measurement now = current.rows().get(key);
            RowKey row = new RowKey("", key.model(), key.defense(), "");
            String metric = key.benchmark() + "/" + key.path() + " " + (now != null ? now : before).unit();
            if (before == null) {
                out.add(new Regression(STEP, row, Regression.Kind.NEW_ROW, metric, "", now.text(), ""));
            } else if (now == null) {
                out.add(new Regression(STEP, row, Regression.Kind.MISSING_ROW, metric, before.text(), "", ""));
            } else if (dropped(before, now, key, current.origin())) {
                out.add(new Regression(STEP, row, Regression.Kind.THROUGHPUT_DROPPED, metric, before.text(), now.text(),
                        "[" + before.low().toPlainString() + ", " + before.high().toPlainString() + "]"));
            }
        }
        return out;
    }

    /** Worse with disjoint intervals: for a rate the new high end is below the old low end; for a time the reverse. */
    static boolean dropped(Measurement before, Measurement now, Configuration key, String origin) {
        if (!before.unit().equals(now.unit())) {
            throw new BenchException("throughput table " + origin + ": " + key + " is in " + now.unit() + ", the committed "
                    + "table has " + before.unit() + "; rerun 'bfabench bench' with the same harness and commit the table");
        }
        return before.isRate() ? now.high().compareTo(before.low()) < 0 : now.low().compareTo(before.high()) > 0;
    }
}
