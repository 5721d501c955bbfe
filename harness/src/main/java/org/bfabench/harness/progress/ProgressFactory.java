package org.bfabench.harness.progress;

/** Where the runner gets progress reporters from: progress bars on a console, nothing in tests. */
public interface ProgressFactory {

    /** Reports nothing. */
    ProgressFactory NONE = label -> TaskProgress.NONE;

    /** A reporter for the work described by {@code label} (e.g. a cell's name). */
    TaskProgress open(String label);
}
