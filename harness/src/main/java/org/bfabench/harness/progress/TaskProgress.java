package org.bfabench.harness.progress;

import org.bfabench.spi.Progress;

/** A {@link Progress} for one cell's work, closed when the cell is done. */
public interface TaskProgress extends Progress, AutoCloseable {

    /** Discards everything. */
    TaskProgress NONE = new TaskProgress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void step(long done, String message) {
        }

        @Override
        public void close() {
        }
    };

    @Override
    void close();
}
