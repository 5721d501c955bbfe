package org.bfabench.spi;

/**
 * Where a long-running component reports progress (training epochs, attack iterations). The harness
 * renders it as a progress bar; implementations of components must tolerate {@link #NONE}.
 * Calls are cheap and may be made from any thread.
 */
public interface Progress {

    /** Discards everything. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void step(long done, String message) {
        }
    };

    /** A new task with {@code total} steps (or -1 when unknown) begins. */
    void start(String task, long total);

    /** {@code done} steps of the current task are finished; {@code message} is a short status (may be empty). */
    void step(long done, String message);
}
