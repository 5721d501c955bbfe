package org.bfabench.defenses.rabnn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.train.Trainer;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.Shape;

/**
 * Stage 1 of RA-BNN's Early-Growth (Rakin et al. 2021, §4.2; ALGORITHMS.md §3 steps 1–6): trains the
 * widened candidate BNN together with its channel masks, hardens the temperatures of active channels
 * after every epoch, stops once the channel density saturates (or after the epoch budget), and turns the
 * final densities into layer widths ⌊base × factor × density⌋.
 */
final class EarlyGrowth {

    /** Outcome of a search: grown width, base width and final density per width group. */
    record Result(Map<String, Integer> widths, Map<String, Integer> baseWidths, Map<String, Double> densities,
            DensityCurve curve) {
    }

    private EarlyGrowth() {
    }

    static Result search(ModelArchitecture arch, Options archOptions, Shape input, int classes, ImageSplit train,
            TrainingConfig config, GrowthSettings settings, Progress progress) {
        GrowingBnnBuilder builder = new GrowingBnnBuilder(input, settings.seed(), settings.factor(), settings.tau(),
                settings.maskL1());
        arch.describe(builder, input, classes, archOptions);
        Network candidate = builder.build();
        Map<String, GumbelSigmoidMask> masks = builder.masks();
        List<String> groups = new ArrayList<>(masks.keySet());
        int[] channels = groups.stream().mapToInt(g -> masks.get(g).channels()).toArray();
        DensityCurve curve = new DensityCurve(groups);
        curve.record(densities(masks, groups), channels);
        ImageSplit data = settings.trainLimit() > 0 ? train.head(settings.trainLimit()) : train;
        TrainingConfig searchConfig = settings.searchConfig(config);
        new Trainer(searchConfig).train(candidate, data, settings.seed(), progress, new Trainer.EpochListener() {
            @Override
            public void epochEnd(Trainer.EpochStats stats) {
                masks.values().forEach(GumbelSigmoidMask::endEpoch);
                curve.record(densities(masks, groups), channels);
            }

            @Override
            public boolean stop() {
                return settings.densityTolerance() > 0 && curve.saturated(settings.densityTolerance());
            }
        });
        Map<String, Integer> widths = new LinkedHashMap<>();
        Map<String, Double> last = curve.last();
        for (String g : groups) {
            widths.put(g, GrownWidths.width(builder.baseWidths().get(g), settings.factor(), last.get(g)));
        }
        return new Result(widths, new LinkedHashMap<>(builder.baseWidths()), last, curve);
    }

    private static double[] densities(Map<String, GumbelSigmoidMask> masks, List<String> groups) {
        return groups.stream().mapToDouble(g -> masks.get(g).density()).toArray();
    }
}
