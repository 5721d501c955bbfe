package org.bfabench.harness.nightly;

/**
 * One line of the regression report: a row of a regenerated board that differs from the committed
 * board beyond the rule of {@link BoardComparison}, or that appeared or disappeared; or a configuration
 * of the throughput table that got slower beyond the rule of {@link ThroughputComparison}, or that
 * appeared or disappeared.
 *
 * @param grid     grid name; {@value ThroughputComparison#STEP} for the throughput table
 * @param row      the row; for the throughput table its model and defense, dataset and attack empty
 * @param kind     what changed
 * @param metric   the CSV column compared, empty for new and missing board rows; for the throughput
 *                 table the configuration, {@code <benchmark>/<path> <unit>}, e.g. {@code inference/model img/s}
 * @param previous its value on the committed board (empty when undefined or for a new row); for the
 *                 throughput table {@code score ± score_error}
 * @param current  its value on the regenerated board (empty when undefined or for a missing row)
 * @param allowed  the interval the current value had to stay in, e.g. {@code [12.0, 30.5]}; for the
 *                 throughput table the committed [score − error, score + error] the new interval had to touch
 */
public record Regression(String grid, RowKey row, Kind kind, String metric, String previous, String current,
        String allowed) {

    /** What changed; {@link #NEW_ROW} is reported but is not a regression. */
    public enum Kind {
        FLIPS_OUTSIDE_CI("flips_outside_ci", "flips to random moved outside the previous 95 % CI", true),
        CLEAN_ACC_MOVED("clean_acc_moved", "clean accuracy moved by more than max(1 point, 2 × previous std)", true),
        THROUGHPUT_DROPPED("throughput_dropped",
                "slower: the JMH intervals score ± error of the committed and the new run are disjoint", true),
        MISSING_ROW("missing_row", "row on the committed board (or throughput table) but not on the regenerated one", true),
        NEW_ROW("new_row", "row on the regenerated board (or throughput table) but not on the committed one", false);

        private final String label;
        private final String meaning;
        private final boolean regresses;

        Kind(String label, String meaning, boolean regresses) {
            this.label = label;
            this.meaning = meaning;
            this.regresses = regresses;
        }

        /** The value of the {@code kind} column of {@code regressions.csv}. */
        public String label() {
            return label;
        }

        public String meaning() {
            return meaning;
        }

        /** True when this change makes {@code bfabench nightly} exit with 4. */
        public boolean regresses() {
            return regresses;
        }
    }

    public boolean regresses() {
        return kind.regresses();
    }
}
