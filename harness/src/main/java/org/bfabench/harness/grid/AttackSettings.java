package org.bfabench.harness.grid;

import java.util.OptionalDouble;

/**
 * The grid's {@code attack} section.
 *
 * @param flipBudget    maximum committed flips per attack run (an attack entry may override it)
 * @param evalSize      images of the test split accuracy is measured on after every flip (0 = all)
 * @param stopAccuracy  stop threshold (0..1); empty = automatic, 1/classes + 0.01 (random guess + 1 point)
 */
public record AttackSettings(int flipBudget, int evalSize, OptionalDouble stopAccuracy) {

    /** The threshold for a dataset with {@code numClasses} classes. */
    public double stopAccuracyFor(int numClasses) {
        return stopAccuracy.orElse(1.0 / numClasses + 0.01);
    }
}
