package org.bfabench.harness.nightly;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.spi.BenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job: plans the steps against the time budget ({@link BudgetPlanner}), runs the chosen
 * ones in order, and writes the regression report ({@link RegressionReport}).
 *
 * <p>The budget decides which steps start; a running step is never interrupted (cells have their own
 * timeout). Before each step starts, the plan is checked again against the time actually left, so
 * steps that ran longer than estimated push later ones out instead of overrunning the budget. A step
 * that fails with a user-facing problem (e.g. a dataset that cannot be found) is recorded and the
 * remaining steps still run.
 */
public final class Nightly {
    private static final Logger LOG = LoggerFactory.getLogger(Nightly.class);

    private final Clock clock;
    private final PrintStream console;

    public Nightly(Clock clock, PrintStream console) {
        this.clock = clock;
        this.console = console;
    }

    /**
     * What the night did.
     *
     * @param outcomes steps that ran (or tried to), in order
     * @param skipped  steps the budget left out, with the reason
     * @param report   the report files written
     */
    public record Result(List<StepOutcome> outcomes, List<BudgetPlanner.Decision> skipped, RegressionReport.Files report) {
        public Result {
            outcomes = List.copyOf(outcomes);
            skipped = List.copyOf(skipped);
        }

        public int cellsFailed() {
            return outcomes.stream().mapToInt(StepOutcome::cellsFailed).sum();
        }

        public long regressions() {
            return outcomes.stream().mapToLong(StepOutcome::regressions).sum();
        }

        public List<String> errors() {
            return outcomes.stream().filter(o -> !o.error().isEmpty()).map(o -> o.name() + ": " + o.error()).toList();
        }
    }

    /**
     * @param steps          in the order they should run
     * @param budget         the time budget, or empty for none
     * @param leaderboardDir where {@code regressions.md} and {@code regressions.csv} go
     * @param baselineDir    the committed boards (named in the report)
     */
    public Result run(List<NightlyStep> steps, Optional<Duration> budget, Path leaderboardDir, Path baselineDir) {
        List<BudgetPlanner.Decision> plan = BudgetPlanner.plan(steps.stream().map(NightlyStep::candidate).toList(), budget);
        for (BudgetPlanner.Decision d : plan) {
            Candidate c = d.candidate();
            console.printf("nightly: %-18s estimated %-8s %s%n", c.name(),
                    c.estimate().map(BudgetPlanner::human).orElse("unknown"),
                    d.run() ? "— will run" : "— SKIPPED: " + d.reason());
        }
        Instant start = clock.instant();
        List<StepOutcome> outcomes = new ArrayList<>();
        List<BudgetPlanner.Decision> skipped = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            BudgetPlanner.Decision d = plan.get(i);
            if (!d.run()) {
                skipped.add(d);
                continue;
            }
            if (budget.isPresent()) {
                Duration left = budget.get().minus(Duration.between(start, clock.instant()));
                Optional<String> late = BudgetPlanner.refusal(d.candidate(), left);
                if (late.isPresent()) {
                    String reason = late.get() + " (earlier steps ran longer than estimated)";
                    console.printf("nightly: %s SKIPPED: %s%n", d.candidate().name(), reason);
                    skipped.add(new BudgetPlanner.Decision(d.candidate(), false, reason));
                    continue;
                }
            }
            outcomes.add(runStep(steps.get(i)));
        }
        RegressionReport.Files files = RegressionReport.write(leaderboardDir, baselineDir, budget, outcomes, skipped);
        return new Result(outcomes, skipped, files);
    }

    private StepOutcome runStep(NightlyStep step) {
        String name = step.candidate().name();
        try {
            return step.run();
        } catch (BenchException e) {
            LOG.error("nightly step {} could not run", name, e);
            console.printf("nightly: %s did not run: %s%n", name, e.getMessage());
            return StepOutcome.failed(name, e.getMessage());
        }
    }
}
