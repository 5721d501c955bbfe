package org.bfabench.harness.nightly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the nightly steps that fit a time budget: in the given order, a step runs when its estimate
 * fits in what is left of the budget after the estimates of the steps chosen before it (greedy, so a
 * later cheaper step can still run after an expensive one is skipped). A step with an unknown estimate
 * is skipped under a budget: run it once without one (or with {@code bfabench run}) and commit its
 * {@code <grid>.run.json}. Without a budget every step runs.
 */
public final class BudgetPlanner {
    private BudgetPlanner() {
    }

    /**
     * One step's verdict.
     *
     * @param candidate the step
     * @param run       true when it is planned to run
     * @param reason    why it was skipped (empty when it runs)
     */
    public record Decision(Candidate candidate, boolean run, String reason) {
    }

    public static List<Decision> plan(List<Candidate> candidates, Optional<Duration> budget) {
        List<Decision> out = new ArrayList<>();
        Duration left = budget.orElse(null);
        for (Candidate c : candidates) {
            Optional<String> refusal = left == null ? Optional.empty() : refusal(c, left);
            if (refusal.isPresent()) {
                out.add(new Decision(c, false, refusal.get()));
            } else {
                out.add(new Decision(c, true, ""));
                if (left != null) {
                    left = left.minus(c.estimate().orElseThrow());
                }
            }
        }
        return out;
    }

    /** Why {@code c} does not fit in {@code left}, or empty when it does. */
    public static Optional<String> refusal(Candidate c, Duration left) {
        if (c.estimate().isEmpty()) {
            return Optional.of("cost unknown under a time budget (" + c.source() + ")");
        }
        if (c.estimate().get().compareTo(left) > 0) {
            return Optional.of("estimated " + human(c.estimate().get()) + " > " + human(left.isNegative() ? Duration.ZERO : left)
                    + " left of the time budget");
        }
        return Optional.empty();
    }

    /** {@code 1h05m}, {@code 8m12s}, {@code 45s}. */
    public static String human(Duration d) {
        long s = Math.max(0, (d.toMillis() + 500) / 1000);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
