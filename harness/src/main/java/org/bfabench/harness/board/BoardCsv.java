package org.bfabench.harness.board;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bfabench.harness.stats.Summary;

/**
 * The leaderboard CSV (Commons CSV, header row, {@code \n} line ends). Column names and meanings are
 * documented in {@code leaderboards/README.md} (resource {@code /board/COLUMNS.md}). Fixed formats in
 * {@link Locale#ROOT}: accuracies in percent with 2 decimals, flip statistics with 1 decimal, the
 * minimum as an integer, ratios with 2 decimals; an undefined value is an empty field. The inference
 * columns ({@link #INFERENCE_COLUMNS}) are not derived from the records but joined from the throughput
 * table ({@link InferenceThroughput}), as its text.
 */
public final class BoardCsv {
    public static final List<String> COLUMNS = List.of("dataset", "model", "defense", "attack", "seeds",
            "clean_acc_mean", "clean_acc_std", "flips_to_random_mean", "flips_to_random_std", "flips_to_random_median",
            "flips_to_random_min", "flips_to_random_ci_low", "flips_to_random_ci_high", "censored", "budget",
            "acc_after_10_mean", "acc_after_100_mean", "weight_bits", "params", "infer_img_per_s", "infer_img_per_s_error",
            "resistance_vs_reference",
            "flips_per_seed", "flips_by_layer", "widths", "status", "bfabench_version", "git_commit", "spi_version",
            "plugins", "grid_sha256", "dataset_sha256", "seed_list");

    /** The columns joined from {@code throughput.csv}: images/s and its JMH error. */
    public static final List<String> INFERENCE_COLUMNS = List.of("infer_img_per_s", "infer_img_per_s_error");

    /** How every board is written, and how {@link ThroughputJoin} reads and rewrites one. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private BoardCsv() {
    }

    /** The board with empty inference columns. */
    public static String render(List<BoardRow> rows) {
        return render(rows, InferenceThroughput.NONE);
    }

    public static String render(List<BoardRow> rows, InferenceThroughput throughput) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, FORMAT)) {
            csv.printRecord(COLUMNS);
            for (BoardRow r : rows) {
                csv.printRecord(fields(r, throughput));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<String> fields(BoardRow r, InferenceThroughput throughput) {
        List<String> f = new ArrayList<>();
        f.add(r.dataset());
        f.add(r.model());
        f.add(r.defense());
        f.add(r.attack());
        f.add(Integer.toString(r.seeds()));
        f.add(r.cleanAccuracy().map(s -> percent(s.mean())).orElse(""));
        f.add(r.cleanAccuracy().map(s -> s.std().isPresent() ? percent(s.std().getAsDouble()) : "").orElse(""));
        Optional<Summary> fl = r.flips();
        f.add(fl.map(s -> oneDecimal(s.mean())).orElse(""));
        f.add(fl.map(s -> s.std().isPresent() ? oneDecimal(s.std().getAsDouble()) : "").orElse(""));
        f.add(fl.map(s -> oneDecimal(s.median())).orElse(""));
        f.add(fl.map(s -> Long.toString(Math.round(s.min()))).orElse(""));
        f.add(opt(r.ciLow(), BoardCsv::oneDecimal));
        f.add(opt(r.ciHigh(), BoardCsv::oneDecimal));
        f.add(Integer.toString(r.censored()));
        f.add(Integer.toString(r.budget()));
        f.add(opt(r.accAfter10(), BoardCsv::percent));
        f.add(opt(r.accAfter100(), BoardCsv::percent));
        f.add(r.weightBits().map(String::valueOf).orElse(""));
        f.add(r.params().map(String::valueOf).orElse(""));
        f.addAll(inference(throughput, r.model(), r.defense()));
        f.add(opt(r.resistance(), v -> String.format(Locale.ROOT, "%.2f", v)));
        f.add(r.flipsPerSeed());
        f.add(r.flipsByLayer());
        f.add(r.widths());
        f.add(r.status());
        BoardRow.RowProvenance p = r.provenance();
        f.add(p.bfabenchVersion());
        f.add(p.gitCommit());
        f.add(p.spiVersion());
        f.add(p.plugins());
        f.add(p.gridSha256());
        f.add(p.datasetSha256());
        f.add(p.seedList());
        return f;
    }

    /** The values of {@link #INFERENCE_COLUMNS} for a (model, defense): empty when the table has no figure. */
    static List<String> inference(InferenceThroughput throughput, String model, String defense) {
        return throughput.of(model, defense).map(f -> List.of(f.imagesPerSecond(), f.error())).orElse(List.of("", ""));
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String opt(OptionalDouble v, java.util.function.DoubleFunction<String> format) {
        return v.isPresent() ? format.apply(v.getAsDouble()) : "";
    }
}
