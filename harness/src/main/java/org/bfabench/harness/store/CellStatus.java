package org.bfabench.harness.store;

/** Outcome of one cell. */
public enum CellStatus {
    /** The attack ran to its threshold or budget. */
    OK,
    /** A plugin threw; the message says which and why. */
    FAILED,
    /** Training or the attack exceeded the cell timeout and was abandoned. */
    TIMEOUT,
    /** The combination cannot run (no attack surface, no gradients, unsupported architecture). */
    NOT_APPLICABLE;

    /** OK and N/A cells are final; FAILED and TIMEOUT cells are retried by the next run. */
    public boolean isFinal() {
        return this == OK || this == NOT_APPLICABLE;
    }

    /** The form used on the console and in the leaderboard. */
    public String label() {
        return this == NOT_APPLICABLE ? "N/A" : name();
    }
}
