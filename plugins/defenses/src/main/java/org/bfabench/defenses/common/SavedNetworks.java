package org.bfabench.defenses.common;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.train.Trainer;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.TrainingContext;

/**
 * The steps every network defense shares around its own builder: train on the budgeted split and
 * freeze the weights into bit memories; reload a saved model file into a freshly built network.
 */
public final class SavedNetworks {
    private SavedNetworks() {
    }

    /** Trains {@code net} with {@code config} on the context's (possibly limited) training split, then freezes it. */
    public static List<Trainer.EpochStats> trainAndFreeze(Network net, TrainingConfig config, TrainingContext ctx) {
        ImageSplit data = ctx.dataset().train();
        if (ctx.budget().trainLimit() > 0) {
            data = data.head(ctx.budget().trainLimit());
        }
        List<Trainer.EpochStats> stats = new Trainer(config).train(net, data, ctx.seed(), ctx.progress());
        freeze(net);
        return stats;
    }

    public static void freeze(Network net) {
        for (WeightedLayer l : net.weightedLayers()) {
            l.weights().freeze();
        }
    }

    /**
     * Reads a model file of {@code defense} at {@code version} and restores it into the network that
     * {@code build} makes from the file's contents (a growing defense needs the saved widths to build it).
     */
    public static DefendedNetwork load(Path file, String defense, String version, ModelContext ctx,
            Function<ModelFile.Contents, Network> build) {
        ModelFile.Contents c = ModelFile.read(file, defense);
        if (!c.defenseVersion().equals(version)) {
            throw new BenchException(file + ": written by " + defense + " " + c.defenseVersion() + ", this is "
                    + version + "; retrain the model");
        }
        Network net = build.apply(c);
        freeze(net);
        try {
            NetworkState.apply(net, c.arrays());
        } catch (IllegalArgumentException e) {
            throw new BenchException(file + ": does not fit architecture " + ctx.architecture().id() + " ("
                    + e.getMessage() + "); load it with the architecture and options it was trained with");
        }
        return new DefendedNetwork(defense, version, net, c.facts());
    }
}
