package org.bfabench.spi;

import java.util.regex.Pattern;

/**
 * What every plugin component has: a stable id, a version and a one-line description.
 *
 * <p>The id names the component in grid files and leaderboards; it must match {@link #ID_PATTERN}
 * and be unique across all loaded plugins (the harness refuses duplicates). The version is part of the
 * content hash of every cached model and result: bump it whenever the component's numbers could change.
 */
public interface Component {

    /** Ids are lower-case letters, digits and dashes. */
    Pattern ID_PATTERN = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** Stable id, e.g. {@code quantized-8bit}. */
    String id();

    /** Version of the component's behaviour, e.g. {@code 1.0.0}. */
    String version();

    /** One line for the "plugins loaded" report. */
    String description();
}
