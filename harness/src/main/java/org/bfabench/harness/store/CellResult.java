package org.bfabench.harness.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The measurements of a cell whose attack ran (status OK).
 *
 * @param cleanAccuracy     top-1 accuracy (0..1) of the clean model on the test split (its first
 *                          {@code testLimit} images when the grid sets one)
 * @param testImages        number of test images {@code cleanAccuracy} is over
 * @param evalImages        number of images the attack evaluated after each flip
 * @param evalCleanAccuracy accuracy on those images before the first flip
 * @param flips             committed flips
 * @param censored          true when the stop threshold was not reached ({@code flips} is a lower bound)
 * @param stopReason        the attack's {@link org.bfabench.spi.StopReason}
 * @param stopDetail        its detail message
 * @param finalAccuracy     evaluation accuracy at the end
 * @param accuracyAfter     evaluation accuracy after 1, 5, 10, 20, 50, 100, 500, 1000, 5000 flips, where reached
 * @param flipsByLayer      committed flips per layer, in layer order, layers without flips omitted
 * @param layers            names of the attackable layers, in order
 * @param weightBits        bits of attackable weight memory
 * @param parameters        attackable weights
 * @param sideParameters    full-precision parameters outside the surface
 * @param facts             the model's facts (e.g. widths)
 */
public record CellResult(double cleanAccuracy, int testImages, int evalImages, double evalCleanAccuracy, int flips,
        boolean censored, String stopReason, String stopDetail, double finalAccuracy, List<AccuracyAt> accuracyAfter,
        List<LayerFlips> flipsByLayer, List<String> layers, long weightBits, long parameters, long sideParameters,
        Map<String, String> facts) {

    /** The flip counts {@link #accuracyAfter} reports. */
    public static final List<Integer> CHECKPOINTS = List.of(1, 5, 10, 20, 50, 100, 500, 1000, 5000);

    public CellResult {
        accuracyAfter = List.copyOf(accuracyAfter);
        flipsByLayer = List.copyOf(flipsByLayer);
        layers = List.copyOf(layers);
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(facts));
    }

    /** Accuracy after {@code flips} flips, if the attack got that far. */
    public java.util.OptionalDouble accuracyAfter(int flipCount) {
        return accuracyAfter.stream().filter(a -> a.flips() == flipCount).mapToDouble(AccuracyAt::accuracy).findFirst();
    }

    /** Evaluation accuracy (0..1) after {@code flips} committed flips. */
    public record AccuracyAt(int flips, double accuracy) {
    }

    /** Flips that landed in one layer. */
    public record LayerFlips(int layer, String name, int flips) {
    }
}
