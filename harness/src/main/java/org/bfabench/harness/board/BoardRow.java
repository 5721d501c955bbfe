package org.bfabench.harness.board;

import java.util.Optional;
import java.util.OptionalDouble;
import org.bfabench.harness.stats.Summary;

/**
 * One leaderboard row: a (dataset, model, defense, attack) aggregated over its seeds. Accuracies are
 * fractions here and percent in the CSV. Statistics are empty when no seed finished OK.
 *
 * @param dataset        dataset id
 * @param model          model id
 * @param defense        defense id
 * @param attack         attack id
 * @param seeds          seeds that finished OK
 * @param cleanAccuracy  clean accuracy over those seeds
 * @param flips          flips to random guess (a censored seed counts as its budget)
 * @param ciLow          bootstrap 95 % CI of the mean flips, low end
 * @param ciHigh         high end
 * @param censored       seeds that did not reach the threshold
 * @param budget         flip budget
 * @param accAfter10     mean accuracy after 10 flips over the seeds that got that far
 * @param accAfter100    mean accuracy after 100 flips over the seeds that got that far
 * @param weightBits     attackable weight bits (mean over seeds, rounded)
 * @param params         attackable weights (mean over seeds, rounded)
 * @param resistance     mean flips / mean flips of the reference defense on the same dataset, model, attack
 * @param flipsPerSeed   e.g. {@code 26;8;3000+}
 * @param flipsByLayer   e.g. {@code conv0:34;fc:61} (summed over seeds)
 * @param widths         the models' {@code widths} facts, distinct, in seed order
 * @param status         {@code ok}, or counts of statuses, or {@code n/a (reason)}
 * @param provenance     provenance columns
 */
public record BoardRow(String dataset, String model, String defense, String attack, int seeds,
        Optional<Summary> cleanAccuracy, Optional<Summary> flips, OptionalDouble ciLow, OptionalDouble ciHigh,
        int censored, int budget, OptionalDouble accAfter10, OptionalDouble accAfter100, Optional<Long> weightBits,
        Optional<Long> params, OptionalDouble resistance, String flipsPerSeed, String flipsByLayer, String widths,
        String status, RowProvenance provenance) {

    /** Provenance columns; several distinct values (from different runs) are joined with {@code ;}. */
    public record RowProvenance(String bfabenchVersion, String gitCommit, String spiVersion, String plugins,
            String gridSha256, String datasetSha256, String seedList) {
    }

    BoardRow withResistance(OptionalDouble r) {
        return new BoardRow(dataset, model, defense, attack, seeds, cleanAccuracy, flips, ciLow, ciHigh, censored,
                budget, accAfter10, accAfter100, weightBits, params, r, flipsPerSeed, flipsByLayer, widths, status,
                provenance);
    }
}
