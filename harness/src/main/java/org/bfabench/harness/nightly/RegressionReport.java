package org.bfabench.harness.nightly;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bfabench.harness.io.AtomicFiles;

/**
 * The nightly's regression report: {@code regressions.md} for people and {@code regressions.csv} for
 * machines, in the output's {@code leaderboards} directory. The CSV has one row per change (columns
 * {@link #COLUMNS}; {@code kind} is one of {@link Regression.Kind#label()}), sorted by grid and row, and
 * only a header when nothing changed; rows of the throughput step have {@code grid} = {@code throughput},
 * empty dataset and attack, and the configuration in {@code metric} ({@link Regression}). No timestamps:
 * the same boards give the same report.
 */
public final class RegressionReport {
    public static final List<String> COLUMNS = List.of("grid", "dataset", "model", "defense", "attack", "kind", "metric",
            "previous", "current", "allowed");

    private RegressionReport() {
    }

    /** The two files written. */
    public record Files(Path markdown, Path csv) {
    }

    public static Files write(Path leaderboardDir, Path baselineDir, Optional<Duration> budget, List<StepOutcome> outcomes,
            List<BudgetPlanner.Decision> skipped) {
        Path md = leaderboardDir.resolve("regressions.md");
        Path csv = leaderboardDir.resolve("regressions.csv");
        AtomicFiles.write(csv, csv(outcomes).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(md, markdown(baselineDir, budget, outcomes, skipped).getBytes(StandardCharsets.UTF_8));
        return new Files(md, csv);
    }

    static String csv(List<StepOutcome> outcomes) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            p.printRecord(COLUMNS);
            for (StepOutcome o : outcomes) {
                for (Regression r : o.changes()) {
                    p.printRecord(fields(r));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<String> fields(Regression r) {
        return List.of(r.grid(), r.row().dataset(), r.row().model(), r.row().defense(), r.row().attack(), r.kind().label(),
                r.metric(), r.previous(), r.current(), r.allowed());
    }

    static String markdown(Path baselineDir, Optional<Duration> budget, List<StepOutcome> outcomes,
            List<BudgetPlanner.Decision> skipped) {
        StringBuilder s = new StringBuilder("# Nightly regression report\n\n");
        long regressions = outcomes.stream().mapToLong(StepOutcome::regressions).sum();
        int failed = outcomes.stream().mapToInt(StepOutcome::cellsFailed).sum();
        long errors = outcomes.stream().filter(o -> !o.error().isEmpty()).count();
        s.append(regressions == 0 && failed == 0 && errors == 0 ? "**Nothing regressed.**"
                : "**" + regressions + " regression(s), " + failed + " failed cell(s), " + errors + " step(s) that could not run.**");
        s.append("\n\nCompared with the committed boards in `").append(baselineDir).append("`; time budget: ")
                .append(budget.map(BudgetPlanner::human).orElse("none")).append(".\n\n");
        s.append("Rule: a row regresses when its `flips_to_random_mean` leaves the committed row's ")
                .append("[`flips_to_random_ci_low`, `flips_to_random_ci_high`], or its `clean_acc_mean` moves by more ")
                .append("than max(1 point, 2 × committed `clean_acc_std`), or it is missing; new rows are listed but ")
                .append("do not regress. Throughput (step `throughput`, against the committed `throughput.csv`): a ")
                .append("configuration regresses (`throughput_dropped`) when it got slower and the two JMH intervals ")
                .append("[`score` − `score_error`, `score` + `score_error`] are disjoint (touching is not; an empty error ")
                .append("counts as 0); a missing configuration regresses, a new one does not; getting faster is not ")
                .append("reported.\n\n");
        s.append("| step | result |\n| --- | --- |\n");
        for (StepOutcome o : outcomes) {
            s.append("| ").append(o.name()).append(" | ").append(cell(o.error().isEmpty() ? o.summary() : "did not run: " + o.error()))
                    .append(" |\n");
        }
        for (BudgetPlanner.Decision d : skipped) {
            s.append("| ").append(d.candidate().name()).append(" | skipped: ").append(cell(d.reason())).append(" |\n");
        }
        for (StepOutcome o : outcomes) {
            if (o.error().isEmpty()) {
                section(s, o);
            }
        }
        return s.toString();
    }

    private static void section(StringBuilder s, StepOutcome o) {
        s.append("\n## ").append(o.name()).append("\n\n");
        for (String note : o.notes()) {
            s.append("- ").append(note).append('\n');
        }
        if (!o.notes().isEmpty()) {
            s.append('\n');
        }
        if (o.changes().isEmpty()) {
            s.append("No changes.\n");
            return;
        }
        s.append("| dataset | model | defense | attack | change | metric | committed | now | allowed |\n");
        s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Regression r : o.changes()) {
            List<String> f = new ArrayList<>(fields(r).subList(1, fields(r).size()));
            f.set(4, r.kind().meaning());
            s.append("| ").append(String.join(" | ", f.stream().map(RegressionReport::cell).toList())).append(" |\n");
        }
    }

    private static String cell(String text) {
        return text.isEmpty() ? "—" : text.replace("|", "\\|").replace("\n", " ");
    }
}
