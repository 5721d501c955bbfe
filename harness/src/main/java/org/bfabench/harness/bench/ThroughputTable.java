package org.bfabench.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bfabench.spi.BenchException;

/**
 * {@code leaderboards/throughput.csv}: JMH results of the model-level benchmarks (module benchmarks,
 * package {@code org.bfabench.benchmarks.defended}) as one row per (benchmark, model, defense, path).
 *
 * <p>Columns: {@code benchmark} (inference | pbs_iteration | train_step), {@code model}, {@code defense},
 * {@code path} (model = {@code DefendedModel.predict}, which runs binary layers with binarized input through
 * the XNOR-popcount kernel; float = every layer on its float path; attack; training), {@code unit}
 * (img/s, s/iteration, s/step), {@code score}, {@code score_error} (JMH's half-width of the 99.9%
 * confidence interval; empty when JMH has too few samples for one), {@code samples} (measurement
 * iterations), {@code jvm}, {@code date} (UTC, of the bench run).
 */
public final class ThroughputTable {
    public static final List<String> HEADER = List.of("benchmark", "model", "defense", "path", "unit", "score", "score_error",
            "samples", "jvm", "date");
    private static final String PACKAGE = "org.bfabench.benchmarks.defended.";

    public record Row(String benchmark, String model, String defense, String path, String unit, double score,
            double scoreError, int samples, String jvm, String date) {
    }

    private ThroughputTable() {
    }

    /** The rows of one JMH {@code -rf json} result file; a benchmark this table does not know is an error. */
    public static List<Row> read(Path jmhJson, String date) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(jmhJson.toFile());
        } catch (IOException e) {
            throw new BenchException("cannot read the JMH result " + jmhJson + " (" + e.getMessage()
                    + "); rerun 'bfabench bench'", e);
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : root) {
            String name = r.path("benchmark").asText();
            String method = name.startsWith(PACKAGE) ? name.substring(PACKAGE.length()) : name;
            String[] kind = switch (method) {
                case "InferenceBenchmark.model" -> new String[] {"inference", "model", "img/s", "ops/s"};
                case "InferenceBenchmark.floatPath" -> new String[] {"inference", "float", "img/s", "ops/s"};
                case "PbsIterationBenchmark.pbs" -> new String[] {"pbs_iteration", "attack", "s/iteration", "s/op"};
                case "TrainStepBenchmark.trainStep" -> new String[] {"train_step", "training", "s/step", "s/op"};
                default -> throw new BenchException("JMH result " + jmhJson + " holds an unknown benchmark " + name
                        + "; the benchmarks jar and the harness are from different builds, rebuild both");
            };
            JsonNode metric = r.path("primaryMetric");
            if (!metric.path("scoreUnit").asText().equals(kind[3])) {
                throw new BenchException(name + " reports " + metric.path("scoreUnit").asText() + ", expected " + kind[3]
                        + "; do not pass -tu or -bm to the benchmarks when producing the throughput table");
            }
            int samples = 0;
            for (JsonNode fork : metric.path("rawData")) {
                samples += fork.size();
            }
            String jvm = (r.path("jdkVersion").asText() + " " + r.path("vmName").asText()).trim();
            rows.add(new Row(kind[0], r.path("params").path("model").asText(), r.path("params").path("defense").asText(),
                    kind[1], kind[2], metric.path("score").asDouble(), number(metric.path("scoreError")), samples, jvm,
                    date));
        }
        return rows;
    }

    /** JMH writes "NaN" (a string) when it cannot compute an error. */
    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Writes the table atomically (temp file + rename), so a failed run leaves the previous table intact. */
    public static void write(Path file, List<Row> rows) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".throughput", ".csv");
            try (Writer w = Files.newBufferedWriter(tmp);
                    CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                            .setHeader(HEADER.toArray(String[]::new)).setRecordSeparator('\n').build())) {
                for (Row r : rows) {
                    csv.printRecord(r.benchmark(), r.model(), r.defense(), r.path(), r.unit(), format(r.score()),
                            Double.isNaN(r.scoreError()) ? "" : format(r.scoreError()), r.samples(), r.jvm(), r.date());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + " (" + e.getMessage() + "); check that the directory is"
                    + " writable", e);
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A fixed-width console rendering: score ± error per row. */
    public static String console(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %-10s %-15s %-9s %12s %12s  %s%n",
                "benchmark", "model", "defense", "path", "score", "± error", "unit"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-14s %-10s %-15s %-9s %12s %12s  %s%n", r.benchmark(), r.model(),
                    r.defense(), r.path(), format(r.score()), Double.isNaN(r.scoreError()) ? "-" : format(r.scoreError()),
                    r.unit()));
        }
        return sb.toString();
    }
}
