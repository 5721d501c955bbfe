package org.bfabench.spi;

import java.util.List;

/**
 * The record of one attack run.
 *
 * @param cleanAccuracy evaluation accuracy (0..1) before the first flip
 * @param events        committed flips in order
 * @param stopReason    why the attack stopped
 * @param detail        human-readable detail for the stop reason (may be empty)
 * @param finalAccuracy evaluation accuracy (0..1) at the end
 * @param attackNanos   wall-clock time spent in the attack
 */
public record AttackTrace(double cleanAccuracy, List<FlipEvent> events, StopReason stopReason, String detail,
        double finalAccuracy, long attackNanos) {
    public AttackTrace {
        events = List.copyOf(events);
    }

    /** Number of committed flips. */
    public int flips() {
        return events.size();
    }

    /** True when the attack did not reach the threshold (the flip count is a lower bound). */
    public boolean censored() {
        return stopReason != StopReason.THRESHOLD_REACHED;
    }
}
