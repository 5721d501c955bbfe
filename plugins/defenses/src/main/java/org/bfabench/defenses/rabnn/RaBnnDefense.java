package org.bfabench.defenses.rabnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.stream.Collectors;
import org.bfabench.defenses.bnn.BnnDefense;
import org.bfabench.defenses.common.DefendedNetwork;
import org.bfabench.defenses.common.SavedNetworks;
import org.bfabench.defenses.common.TrainingOptions;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.bfabench.spi.TrainingContext;

/**
 * RA-BNN (Rakin et al. 2021, §4): a complete BNN whose layer widths are found by Early-Growth
 * (stage 1, {@link EarlyGrowth}) and which is then retrained from scratch at those widths (stage 2).
 * As far as attacks are concerned the result is an ordinary complete BNN.
 *
 * <p>Options: the {@code bnn} training options for stage 2 (defaults as {@code bnn}, so the two are compared
 * on equal terms) plus the stage-1 knobs of {@link GrowthSettings}, whose search has its own recipe.
 * Facts: {@code widths} ({@code group:width;…}), {@code base_widths}, {@code densities},
 * {@code search_epochs}.
 */
public final class RaBnnDefense implements Defense {
    public static final String ID = "ra-bnn";
    public static final String VERSION = "1.2.0";
    private static final Set<String> EXTRA_KEYS = GrowthSettings.KEYS;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "RA-BNN Early-Growth: Gumbel-Sigmoid channel growth of a complete BNN, then retraining at the grown widths";
    }

    @Override
    public boolean supports(ModelArchitecture architecture) {
        return !architecture.id().equals("mlp");
    }

    @Override
    public DefendedModel train(TrainingContext ctx) {
        TrainingOptions.requireKnown(ID, ctx.options(), EXTRA_KEYS);
        GrowthSettings settings = GrowthSettings.from(ctx.options());
        Shape input = ctx.dataset().inputShape();
        TrainingConfig config = bnnDefaults().resolve(ctx.options(), ctx.budget(), input);
        GrowthCache.Entry growth = grow(ctx, settings, config, input);
        copyCurve(growth, ctx.workDir());

        Network net = build(ctx.architecture(), ctx.architectureOptions(), input, ctx.dataset().numClasses(),
                ctx.seed(), growth.widths());
        var stats = SavedNetworks.trainAndFreeze(net, config, ctx);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("widths", joinInts(growth.widths()));
        facts.put("base_widths", joinInts(growth.baseWidths()));
        facts.put("densities", growth.densities().entrySet().stream()
                .map(e -> e.getKey() + ":" + String.format(Locale.ROOT, "%.3f", e.getValue()))
                .collect(Collectors.joining(";")));
        facts.put("search_epochs", String.valueOf(growth.searchEpochs()));
        facts.put("train_loss", String.format(Locale.ROOT, "%.4f", stats.get(stats.size() - 1).loss()));
        return new DefendedNetwork(ID, VERSION, net, facts);
    }

    @Override
    public DefendedModel load(ModelContext ctx, Path file) {
        return SavedNetworks.load(file, ID, VERSION, ctx, contents -> build(ctx.architecture(),
                ctx.architectureOptions(), ctx.inputShape(), ctx.numClasses(), 0L,
                parseInts(file, contents.facts().get("widths"))));
    }

    private GrowthCache.Entry grow(TrainingContext ctx, GrowthSettings s, TrainingConfig config, Shape input) {
        String canonical = String.join("|", "ra-bnn-growth", VERSION, ctx.architecture().id(),
                ctx.architecture().version(), ctx.architectureOptions().toString(), ctx.dataset().id(),
                ctx.dataset().sha256(), input.toString(), String.valueOf(ctx.dataset().numClasses()), s.toString(),
                s.searchConfig(config).toString());
        String key = GrowthCache.key(canonical);
        GrowthCache cache = new GrowthCache(ctx.cacheDir().resolve("ra-bnn-growth"));
        return cache.find(key).orElseGet(() -> cache.store(key, EarlyGrowth.search(ctx.architecture(),
                ctx.architectureOptions(), input, ctx.dataset().numClasses(), ctx.dataset().train(), config, s,
                ctx.progress())));
    }

    private static void copyCurve(GrowthCache.Entry growth, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Files.copy(growth.curveCsv(), workDir.resolve("density.csv"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the density curve into " + workDir, e);
        }
    }

    private static Network build(ModelArchitecture arch, Options archOptions, Shape input, int classes, long seed,
            Map<String, Integer> widths) {
        GrownBnnBuilder b = new GrownBnnBuilder(input, seed, widths);
        arch.describe(b, input, classes, archOptions);
        return b.build();
    }

    private static TrainingOptions bnnDefaults() {
        return BnnDefense.defaults();
    }

    static String joinInts(Map<String, Integer> m) {
        return m.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(";"));
    }

    static Map<String, Integer> parseInts(Path file, String s) {
        if (s == null || s.isBlank()) {
            throw new BenchException(file + ": ra-bnn model without its grown widths; retrain the model");
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String part : s.split(";")) {
            int colon = part.lastIndexOf(':');
            try {
                String g = part.substring(0, colon);
                if (!seen.add(g)) {
                    throw new IllegalArgumentException("duplicate group " + g);
                }
                m.put(g, Integer.parseInt(part.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new BenchException(file + ": malformed widths '" + s + "'; retrain the model");
            }
        }
        return m;
    }
}
