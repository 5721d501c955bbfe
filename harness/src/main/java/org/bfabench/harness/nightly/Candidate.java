package org.bfabench.harness.nightly;

import java.time.Duration;
import java.util.Optional;

/**
 * A nightly step as the time budget sees it.
 *
 * @param name     what runs (a grid name)
 * @param estimate how long it is expected to take; empty when unknown
 * @param source   where the estimate came from, or why there is none (for the console and the report)
 */
public record Candidate(String name, Optional<Duration> estimate, String source) {
}
