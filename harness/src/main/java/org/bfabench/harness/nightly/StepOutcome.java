package org.bfabench.harness.nightly;

import java.util.List;

/**
 * What a nightly step did.
 *
 * @param name        the step's name
 * @param summary     one line for the report (e.g. cells run and failed, where the board went)
 * @param cellsFailed cells that ended FAILED or TIMEOUT
 * @param changes     its report rows (regressions and new rows)
 * @param notes       anything else the reader of the report must know (e.g. nothing to compare against)
 * @param error       why the step could not run at all (a user-facing problem such as missing data), or empty
 */
public record StepOutcome(String name, String summary, int cellsFailed, List<Regression> changes, List<String> notes,
        String error) {
    public StepOutcome {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** A step that could not run: {@code error} is the one-line reason. */
    public static StepOutcome failed(String name, String error) {
        return new StepOutcome(name, "did not run", 0, List.of(), List.of(), error);
    }

    public long regressions() {
        return changes.stream().filter(Regression::regresses).count();
    }
}
