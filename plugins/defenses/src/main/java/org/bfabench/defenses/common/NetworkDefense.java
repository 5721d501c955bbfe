package org.bfabench.defenses.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.Shape;
import org.bfabench.spi.TrainingContext;
import org.bfabench.spi.WeightArray;

/**
 * A defense that builds the architecture with its own layer kinds, trains it (quantization- or
 * binarization-aware), freezes the weights into bit memories and hands out the frozen network.
 */
public abstract class NetworkDefense implements Defense {
    private final String id;
    private final String version;
    private final String description;
    private final TrainingOptions defaults;

    protected NetworkDefense(String id, String version, String description, TrainingOptions defaults) {
        this.id = id;
        this.version = version;
        this.description = description;
        this.defaults = defaults;
    }

    /** The builder that gives this defense's layer kinds. */
    protected abstract GraphBuilder builder(Shape input, long seed);

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String description() {
        return description;
    }

    private Network build(org.bfabench.spi.ModelArchitecture arch, org.bfabench.spi.Options archOptions, Shape input,
            int classes, long seed) {
        GraphBuilder b = builder(input, seed);
        arch.describe(b, input, classes, archOptions);
        return b.build();
    }

    @Override
    public DefendedModel train(TrainingContext ctx) {
        TrainingOptions.requireKnown(id, ctx.options(), Set.of());
        Shape input = ctx.dataset().inputShape();
        TrainingConfig config = defaults.resolve(ctx.options(), ctx.budget(), input);
        Network net = build(ctx.architecture(), ctx.architectureOptions(), input, ctx.dataset().numClasses(), ctx.seed());
        var stats = SavedNetworks.trainAndFreeze(net, config, ctx);
        var last = stats.get(stats.size() - 1);
        return new DefendedNetwork(id, version, net, Map.of("train_loss", String.format("%.4f", last.loss()),
                "train_accuracy", String.format("%.4f", last.accuracy()), "optimizer", config.optimizer(),
                "lr", String.valueOf(config.lr())));
    }

    @Override
    public DefendedModel load(ModelContext ctx, Path file) {
        return SavedNetworks.load(file, id, version, ctx, contents -> build(ctx.architecture(),
                ctx.architectureOptions(), ctx.inputShape(), ctx.numClasses(), 0L));
    }

    /**
     * Whether externally trained float weights can stand in for this defense's latent weights (true when
     * freezing them is all that stands between a float network and this defense's model). Default false.
     */
    protected boolean importsFloatWeights() {
        return false;
    }

    @Override
    public List<ParameterSpec> parameters(ModelContext ctx) {
        requireImport();
        return WeightImport.parameters(build(ctx.architecture(), ctx.architectureOptions(), ctx.inputShape(),
                ctx.numClasses(), 0L));
    }

    @Override
    public DefendedModel importWeights(ModelContext ctx, Map<String, WeightArray> arrays) {
        requireImport();
        TrainingOptions.requireKnown(id, ctx.options(), Set.of());
        Network net = build(ctx.architecture(), ctx.architectureOptions(), ctx.inputShape(), ctx.numClasses(), 0L);
        WeightImport.apply(net, arrays);
        SavedNetworks.freeze(net);
        return new DefendedNetwork(id, version, net, Map.of("source", "imported"));
    }

    @Override
    public DefendedModel importWeights(ModelContext ctx, Map<String, WeightArray> arrays, Map<String, WeightArray> steps) {
        requireImport();
        TrainingOptions.requireKnown(id, ctx.options(), Set.of());
        Network net = build(ctx.architecture(), ctx.architectureOptions(), ctx.inputShape(), ctx.numClasses(), 0L);
        WeightImport.applyAndFreeze(net, arrays, steps);
        return new DefendedNetwork(id, version, net, Map.of("source", "imported"));
    }

    private void requireImport() {
        if (!importsFloatWeights()) {
            throw new BenchException("defense '" + id + "' cannot import external float weights (its model is more"
                    + " than frozen float weights); import into quantized-8bit, quantized-4bit or binary-weights");
        }
    }
}
