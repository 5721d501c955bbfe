package org.bfabench.harness.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.harness.weights.NpzFile;
import org.bfabench.harness.weights.WeightMapping;
import org.bfabench.harness.weights.WeightResolver;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.WeightArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bfabench import}: turns a PyTorch-exported {@code .npz} into a defense's model, stores it in the
 * model cache ({@code DIR/.bfabench/cache/imported/<name>.npz} plus a {@code <name>.json} saying what it
 * is) and reports its clean accuracy on the dataset's test split.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import externally trained weights (.npz from numpy.savez of a PyTorch state_dict) into "
                + "a defense's model: float weights are quantized with the defense's own quantizer, a weight K given as "
                + "integer codes with a scalar K.step is stored as exactly those codes. Store it under "
                + "DIR/.bfabench/cache/imported/ and print its clean test accuracy.")
final class ImportCommand implements Callable<Integer> {
    private static final int PREDICT_CHUNK = 500;

    private final Session session;

    @Mixin
    ModelSelection selection = new ModelSelection();

    @Option(names = "--dataset", required = true, paramLabel = "ID", description = "Dataset the model was trained on.")
    String dataset;

    @Option(names = "--weights", required = true, paramLabel = "FILE.npz", description = "The weights (numpy.savez of a state_dict).")
    Path weights;

    @Option(names = "--map", paramLabel = "FILE.yaml",
            description = "YAML mapping 'bfabench_name: npz_key' for names that differ (others are looked up as is).")
    Path map;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name in the cache (default: <model>-<defense>-<first 12 hex of the content hash>).")
    String name;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Where .bfabench/ (model cache, log) goes. Default: the current directory.")
    Path out;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Measure the clean accuracy on the first N test images only (default 0: the whole test split).")
    int testLimit;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    ImportCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws IOException {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        if (name != null && !ImportedModel.NAME.matcher(name).matches()) {
            throw new BenchException("--name '" + name + "': use letters, digits, '.', '_' or '-' (it becomes a file name)");
        }
        if (testLimit < 0) {
            throw new BenchException("--test-limit " + testLimit + ": give a positive number of images, or 0 for all");
        }
        NpzFile.Contents contents = NpzFile.readContents(weights);
        Map<String, WeightArray> arrays = contents.arrays();
        Map<String, String> mapping = map == null ? Map.of() : WeightMapping.read(map);
        PluginRegistry registry = plugins.discover(session);
        LoadedComponent<ModelArchitecture> arch = ModelSelection.pick(registry.architectures(), selection.model, "model");
        LoadedComponent<Defense> defense = ModelSelection.pick(registry.defenses(), selection.defense, "defense");
        Options archOptions = selection.architectureOptions();
        Dataset data = selection.loadDataset(registry, dataset, outDir, session);
        ModelContext ctx = new ModelContext(arch.component(), archOptions, data.inputShape(), data.numClasses(), Options.empty());
        List<ParameterSpec> specs = defense.call(() -> defense.component().parameters(ctx));
        WeightResolver.Resolved resolved = WeightResolver.resolve(weights.toString(), specs, arrays, mapping);
        if (!resolved.unused().isEmpty()) {
            session.warn(weights + ": " + resolved.unused().size() + " array(s) not used by " + selection.model + ": "
                    + String.join(", ", resolved.unused()));
        }
        for (ParameterSpec p : specs) {
            String key = resolved.keys().get(p.name());
            if (p.attackable() && !resolved.steps().containsKey(p.name()) && contents.integerKeys().contains(key)) {
                session.warn(weights + ": '" + key + "' holds integers but there is no '" + key + WeightResolver.STEP_SUFFIX
                        + "', so it is quantized as float weights; add its step as a scalar '" + key
                        + WeightResolver.STEP_SUFFIX + "' to import the integers as codes");
            }
        }
        Map<String, WeightArray> hashed = new java.util.LinkedHashMap<>(resolved.byName());
        resolved.steps().forEach((k, v) -> hashed.put(k + WeightResolver.STEP_SUFFIX, v));
        String hash = contentHash(arch.component(), archOptions, defense.component(), hashed);
        String stored = name != null ? name : selection.model + "-" + selection.defense + "-" + hash.substring(0, 12);
        Path dir = ImportedModel.directory(outDir.resolve(".bfabench").resolve("cache"));
        Files.createDirectories(dir);
        Path npz = dir.resolve(stored + ".npz");
        ImageSplit test = testLimit > 0 && testLimit < data.test().size() ? data.test().head(testLimit) : data.test();
        double accuracy;
        try (DefendedModel model = defense.call(() -> defense.component().importWeights(ctx, resolved.byName(),
                resolved.steps()))) {
            Path temp = AtomicFiles.tempSibling(npz, ".npz");
            defense.run(() -> model.save(temp));
            AtomicFiles.moveAtomically(temp, npz);
            accuracy = defense.call(() -> accuracy(model, test));
        }
        new ImportedModel(stored, hash, selection.model, archOptions.asMap(), defense.id(), defense.component().version(),
                dataset, data.sha256(), weights.toAbsolutePath().normalize().toString(), mapping, List.copyOf(resolved.steps().keySet()), accuracy,
                test.size()).write(outDir.resolve(".bfabench").resolve("cache"));
        session.out().printf(java.util.Locale.ROOT, "imported %d arrays from %s into %s/%s%s%n", resolved.byName().size(),
                weights, selection.model, defense.id(), resolved.steps().isEmpty() ? ""
                        : " (" + resolved.steps().size() + " weights as integer codes with their step)");
        session.out().printf(java.util.Locale.ROOT, "clean accuracy on %s test (%d images): %.2f%%%n", dataset,
                test.size(), 100 * accuracy);
        session.out().println("stored: " + npz);
        return ExitCodes.OK;
    }

    /** SHA-256 over what determines the stored model: architecture, defense and version, and every array. */
    static String contentHash(ModelArchitecture arch, Options archOptions, Defense defense, Map<String, WeightArray> arrays) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((arch.id() + "@" + arch.version() + " " + new java.util.TreeMap<>(archOptions.asMap()) + " "
                    + defense.id() + "@" + defense.version()).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, WeightArray> e : arrays.entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * e.getValue().values().length);
                b.asFloatBuffer().put(e.getValue().values());
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static double accuracy(DefendedModel m, ImageSplit split) {
        int correct = 0;
        for (int from = 0; from < split.size(); from += PREDICT_CHUNK) {
            Batch b = split.range(from, Math.min(split.size(), from + PREDICT_CHUNK));
            int[] predicted = m.predict(b);
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == b.labels()[i] ? 1 : 0;
            }
        }
        return split.size() == 0 ? 0 : (double) correct / split.size();
    }
}
