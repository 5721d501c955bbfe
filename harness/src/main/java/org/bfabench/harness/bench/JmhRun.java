package org.bfabench.harness.bench;

import java.util.List;

/**
 * One JMH invocation: a benchmark method of {@code org.bfabench.benchmarks.defended} over models × defenses.
 *
 * @param label      what it measures, for the console
 * @param method     {@code Class.method} of the benchmark
 * @param models     the {@code model} parameter values
 * @param defenses   the {@code defense} parameter values
 * @param singleShot true for single-shot benchmarks (one invocation per iteration, no iteration time)
 */
public record JmhRun(String label, String method, List<String> models, List<String> defenses, boolean singleShot) {
    public JmhRun {
        models = List.copyOf(models);
        defenses = List.copyOf(defenses);
    }

    /** How many (model, defense) configurations it measures, i.e. rows it adds to the table. */
    public int configurations() {
        return models.size() * defenses.size();
    }
}
