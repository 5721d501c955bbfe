package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginDiscovery;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.weights.NpzFile;
import org.bfabench.harness.weights.NpzWriter;
import org.bfabench.spi.Batch;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.Progress;
import org.bfabench.spi.TrainingBudget;
import org.bfabench.spi.TrainingContext;
import org.bfabench.spi.WeightArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code describe} and {@code import} end to end on the built-in plugins and the real Fashion-MNIST files. */
class ImportCommandTest {
    private static final String FMNIST = "/usr/share/datasets/fashion-mnist";

    @TempDir
    Path tmp;
    private Path noPlugins;
    private PluginRegistry registry;

    @BeforeEach
    void discover() throws Exception {
        noPlugins = Files.createDirectories(tmp.resolve("no-plugins"));
        registry = PluginDiscovery.discover(Optional.of(noPlugins), Optional.empty());
    }

    record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), tmp);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result importWeights(String model, String defense, Path npz, String name, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("import", "--model", model, "--defense", defense,
                "--dataset", "fashion-mnist", "--data-dir", FMNIST, "--offline", "--weights", npz.toString(),
                "--name", name, "--out", tmp.toString(), "--plugins", noPlugins.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Dataset fashionMnist() {
        var p = registry.datasets().get("fashion-mnist");
        return p.call(() -> p.component().load(new DatasetContext(Optional.of(Path.of(FMNIST)), tmp.resolve("dc"), true,
                Options.empty())));
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The test's exporter of a saved bfabench model (its .npz of {@code layer/codes}, {@code layer/scale},
     * BN {@code gamma/beta/running_*}) into a PyTorch state_dict of dequantized float weights.
     */
    static Map<String, WeightArray> exportAsPyTorch(Map<String, WeightArray> saved, List<ParameterSpec> specs) {
        Map<String, WeightArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : specs) {
            int dot = p.name().lastIndexOf('.');
            String layer = p.name().substring(0, dot);
            String field = p.name().substring(dot + 1);
            float[] v;
            if (p.attackable()) {
                float[] codes = saved.get(layer + "/codes").values();
                float[] scale = saved.get(layer + "/scale").values();
                v = new float[codes.length];
                int perChannel = codes.length / p.shape()[0];
                for (int i = 0; i < v.length; i++) {
                    v[i] = codes[i] * scale[scale.length == 1 ? 0 : i / perChannel];
                }
            } else {
                String ours = saved.containsKey(layer + "/gamma")
                        ? Map.of("weight", "gamma", "bias", "beta").getOrDefault(field, field) : field;
                v = saved.get(layer + "/" + ours).values().clone();
            }
            out.put(p.name(), new WeightArray(v, p.shape()));
            if (field.equals("running_var")) {
                out.put(layer + ".num_batches_tracked", new WeightArray(new float[] {100}, new int[0]));
            }
        }
        return out;
    }

    @Test
    void aTrainedModelExportedAsAPyTorchStateDictImportsWithIdenticalCodesAndPredictions() throws Exception {
        LoadedComponent<Defense> q8 = registry.defenses().get("quantized-8bit");
        ModelArchitecture cnn = registry.architectures().get("cnn-small").component();
        Dataset data = fashionMnist();
        TrainingContext tc = new TrainingContext(cnn, Options.empty(), data, new TrainingBudget(1, 64, 1000), 3L,
                Options.empty(), Progress.NONE, Files.createDirectories(tmp.resolve("work")),
                Files.createDirectories(tmp.resolve("cache")));
        ModelContext mc = new ModelContext(cnn, Options.empty(), data.inputShape(), data.numClasses(), Options.empty());
        Path trainedFile = tmp.resolve("trained.npz");
        Batch first = data.test().range(0, 2000);
        int[] trainedPredictions;
        try (DefendedModel trained = q8.call(() -> q8.component().train(tc))) {
            q8.run(() -> trained.save(trainedFile));
            trainedPredictions = q8.call(() -> trained.predict(first));
        }
        Map<String, WeightArray> saved = NpzFile.read(trainedFile); // a bfabench model file is an .npz too
        Path exported = tmp.resolve("state_dict.npz");
        NpzWriter.write(exported, exportAsPyTorch(saved, q8.call(() -> q8.component().parameters(mc))));

        Result r = importWeights("cnn-small", "quantized-8bit", exported, "round-trip", "--test-limit", "2000");
        assertEquals(0, r.exit(), r.toString());
        Path stored = tmp.resolve(".bfabench/cache/imported/round-trip.npz");
        Map<String, WeightArray> imported = NpzFile.read(stored);
        assertEquals(saved.keySet(), imported.keySet());
        for (String k : saved.keySet()) {
            assertArrayEquals(saved.get(k).values(), imported.get(k).values(), 0f, k);
        }
        try (DefendedModel back = q8.call(() -> q8.component().load(mc, stored))) {
            int[] predictions = q8.call(() -> back.predict(first));
            assertArrayEquals(trainedPredictions, predictions);
            int correct = 0;
            for (int i = 0; i < predictions.length; i++) {
                correct += predictions[i] == first.labels()[i] ? 1 : 0;
            }
            String expected = String.format(Locale.ROOT, "clean accuracy on fashion-mnist test (2000 images): %.2f%%",
                    100.0 * correct / predictions.length);
            assertTrue(r.out().contains(expected), r.out());
            assertTrue(correct > 0.6 * predictions.length, "a model trained on 1000 images beats 60%: " + correct);
        }
        String meta = Files.readString(tmp.resolve(".bfabench/cache/imported/round-trip.json"));
        assertTrue(meta.contains("\"defense\" : \"quantized-8bit\"") && meta.contains("\"test_images\" : 2000"), meta);

        // the stored model is attacked like a grid cell: clean weights restored before every seed, same trace format
        String[] attack = {"attack", "--model-file", "round-trip", "--attack", "random-flip", "--seeds", "0..1",
                "--budget", "4", "--eval-size", "300", "--data-dir", FMNIST, "--offline", "--out", tmp.toString(),
                "--plugins", noPlugins.toString()};
        Result a = run(attack);
        assertEquals(0, a.exit(), a.toString());
        List<String> rows = Files.readAllLines(tmp.resolve("attacks/round-trip/random-flip.csv"));
        assertEquals(3, rows.size(), rows.toString());
        for (String row : rows.subList(1, 3)) {
            String[] f = row.split(",");
            assertEquals("4", f[1], row); // far above the stop accuracy, random flips use the whole budget
            assertEquals("true", f[2], row);
        }
        assertTrue(Files.size(tmp.resolve("attacks/round-trip/random-flip/seed-1.csv.gz")) > 0);
        assertTrue(a.out().contains("round-trip vs random-flip: flips mean 4.0"), a.out());
        Result again = run(attack);
        List<String> rows2 = Files.readAllLines(tmp.resolve("attacks/round-trip/random-flip.csv"));
        for (int i = 1; i < 3; i++) {
            String r1 = rows.get(i);
            String r2 = rows2.get(i);
            assertEquals(r1.substring(0, r1.lastIndexOf(',')), r2.substring(0, r2.lastIndexOf(',')), "same seed, same run");
        }
        assertEquals(0, again.exit());
    }

    @Test
    void aResNet20WithPyTorchCifarNamesImportsThroughAMappingFileExactlyAsUnderBfabenchNames() throws Exception {
        Result d = run("describe", "--model", "resnet20", "--defense", "quantized-8bit", "--plugins", noPlugins.toString());
        assertEquals(0, d.exit(), d.toString());
        assertTrue(d.out().contains("layer3.2.conv2.weight"), d.out());
        assertTrue(d.out().lines().anyMatch(l -> l.matches("fc\\.weight\\s+\\[10, 64\\]\\s+parameter\\s+yes")), d.out());
        assertTrue(d.out().lines().anyMatch(l -> l.matches("bn1\\.running_var\\s+\\[16\\]\\s+buffer\\s+no")), d.out());

        // a CIFAR ResNet-20 (option A) as commonly written in PyTorch: classifier 'linear', saved from
        // nn.DataParallel (every key prefixed 'module.')
        ModelContext mc = new ModelContext(registry.architectures().get("resnet20").component(), Options.empty(),
                new org.bfabench.spi.Shape(1, 28, 28), 10, Options.empty());
        LoadedComponent<Defense> q8 = registry.defenses().get("quantized-8bit");
        Random rnd = new Random(5);
        Map<String, WeightArray> ours = new LinkedHashMap<>();
        Map<String, WeightArray> theirs = new LinkedHashMap<>();
        StringBuilder mapping = new StringBuilder("# bfabench name: key in the PyTorch state_dict\n");
        for (ParameterSpec p : q8.call(() -> q8.component().parameters(mc))) {
            float[] v = new float[size(p.shape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = p.name().endsWith("running_var") ? 0.5f + rnd.nextFloat() : (float) (0.1 * rnd.nextGaussian());
            }
            String key = "module." + p.name().replaceFirst("^fc\\.", "linear.");
            ours.put(p.name(), new WeightArray(v, p.shape()));
            theirs.put(key, new WeightArray(v, p.shape()));
            mapping.append(p.name()).append(": ").append(key).append('\n');
        }
        Path oursFile = tmp.resolve("bfabench-names.npz");
        Path theirsFile = tmp.resolve("pytorch-names.npz");
        Path mapFile = Files.writeString(tmp.resolve("resnet20.yaml"), mapping);
        NpzWriter.write(oursFile, ours);
        NpzWriter.write(theirsFile, theirs);

        assertEquals(0, importWeights("resnet20", "quantized-8bit", theirsFile, "theirs", "--map", mapFile.toString(),
                "--test-limit", "50").exit());
        assertEquals(0, importWeights("resnet20", "quantized-8bit", oursFile, "ours", "--test-limit", "50").exit());
        Map<String, WeightArray> a = NpzFile.read(tmp.resolve(".bfabench/cache/imported/theirs.npz"));
        Map<String, WeightArray> b = NpzFile.read(tmp.resolve(".bfabench/cache/imported/ours.npz"));
        assertEquals(b, a);
        assertTrue(a.containsKey("layer2.0.conv1/codes") && a.containsKey("fc/codes"), a.keySet().toString());
    }

    @Test
    void aDefenseThatCannotImportAndAWrongShapeAreOneLineEach() throws Exception {
        Path npz = tmp.resolve("w.npz");
        NpzWriter.write(npz, Map.of("conv1.weight", new WeightArray(new float[9], new int[] {1, 1, 3, 3})));
        Result bnn = importWeights("cnn-small", "bnn", npz, "b");
        assertEquals(ExitCodes.USER_ERROR, bnn.exit());
        assertEquals(1, bnn.err().lines().count(), bnn.err());
        assertTrue(bnn.err().contains("'bnn' cannot import"), bnn.err());
        Path cnn = tmp.resolve("cnn.npz");
        NpzWriter.write(cnn, Map.of("conv0.weight", new WeightArray(new float[9 * 16], new int[] {1, 16, 3, 3})));
        Result shape = importWeights("cnn-small", "quantized-8bit", cnn, "s");
        assertEquals(ExitCodes.USER_ERROR, shape.exit());
        assertTrue(shape.err().contains("'conv0.weight' has shape [1, 16, 3, 3] but 'conv0.weight' needs [16, 1, 3, 3]"),
                shape.err());
    }

    @Test
    void integerCodesWithAStepKeyAreStoredAsGivenAndEqualImportingCodeTimesStepAsFloats() throws Exception {
        ModelContext mc = new ModelContext(registry.architectures().get("mlp").component(), Options.empty(),
                new org.bfabench.spi.Shape(1, 28, 28), 10, Options.empty());
        LoadedComponent<Defense> q8 = registry.defenses().get("quantized-8bit");
        Random rnd = new Random(17);
        Map<String, byte[]> asCodes = new LinkedHashMap<>();
        Map<String, WeightArray> asFloats = new LinkedHashMap<>();
        Map<String, float[]> givenCodes = new LinkedHashMap<>();
        float step = 0x1p-10f; // with a code of 127 in every layer the defense's quantizer gives back this step
        for (ParameterSpec p : q8.call(() -> q8.component().parameters(mc))) {
            int n = size(p.shape());
            if (p.attackable()) {
                byte[] codes = new byte[n];
                float[] f = new float[n];
                float[] c = new float[n];
                for (int i = 0; i < n; i++) {
                    codes[i] = (byte) (i == 0 ? 127 : rnd.nextInt(255) - 127);
                    c[i] = codes[i];
                    f[i] = codes[i] * step;
                }
                asCodes.put(p.name(), NpzWriter.npyInt8(p.shape(), codes));
                asCodes.put(p.name() + ".step", NpzWriter.npy("<f4", new int[0], new float[] {step}));
                asFloats.put(p.name(), new WeightArray(f, p.shape()));
                givenCodes.put(p.name().replaceFirst("\\.weight$", ""), c);
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = p.name().endsWith("running_var") ? 0.5f + rnd.nextFloat() : (float) (0.1 * rnd.nextGaussian());
                }
                asCodes.put(p.name(), NpzWriter.npy("<f4", p.shape(), v));
                asFloats.put(p.name(), new WeightArray(v, p.shape()));
            }
        }
        Path codesFile = tmp.resolve("codes.npz");
        Path floatsFile = tmp.resolve("floats.npz");
        NpzWriter.writeRaw(codesFile, asCodes);
        NpzWriter.write(floatsFile, asFloats);

        Result c = importWeights("mlp", "quantized-8bit", codesFile, "codes", "--test-limit", "300");
        assertEquals(0, c.exit(), c.toString());
        assertTrue(c.out().contains("(" + givenCodes.size() + " weights as integer codes with their step)"), c.out());
        assertTrue(c.err().isEmpty(), "every key used, the .step keys included: " + c.err());
        Result f = importWeights("mlp", "quantized-8bit", floatsFile, "floats", "--test-limit", "300");
        assertEquals(0, f.exit(), f.toString());
        Map<String, WeightArray> fromCodes = NpzFile.read(tmp.resolve(".bfabench/cache/imported/codes.npz"));
        Map<String, WeightArray> fromFloats = NpzFile.read(tmp.resolve(".bfabench/cache/imported/floats.npz"));
        givenCodes.forEach((layer, codes) -> {
            assertArrayEquals(codes, fromCodes.get(layer + "/codes").values(), 0f, layer);
            assertArrayEquals(new float[] {step}, fromCodes.get(layer + "/scale").values(), 0f, layer);
        });
        assertEquals(fromFloats, fromCodes, "the same stored model either way");
        String accuracy = c.out().lines().filter(l -> l.startsWith("clean accuracy")).findFirst().orElseThrow();
        assertTrue(f.out().contains(accuracy), "identical predictions: " + f.out());
        assertTrue(Files.readString(tmp.resolve(".bfabench/cache/imported/codes.json")).contains("\"codes\" : [ \"fc0.weight\""));

        // integers without their step are imported as floats, with a warning naming the key and the fix
        Map<String, byte[]> noSteps = new LinkedHashMap<>(asCodes);
        noSteps.keySet().removeIf(k -> k.endsWith(".step"));
        Path noStepsFile = tmp.resolve("no-steps.npz");
        NpzWriter.writeRaw(noStepsFile, noSteps);
        Result w = importWeights("mlp", "quantized-8bit", noStepsFile, "no-steps", "--test-limit", "10");
        assertEquals(0, w.exit(), w.toString());
        assertTrue(w.err().contains("'fc.weight' holds integers but there is no 'fc.weight.step', so it is quantized as"
                + " float weights"), w.err());
        assertEquals(givenCodes.size(), w.err().lines().count(), w.err());

        // under 4-bit the same codes do not fit: the first offender is named with its index, value and range
        Result q4 = importWeights("mlp", "quantized-4bit", codesFile, "q4", "--test-limit", "300");
        assertEquals(ExitCodes.USER_ERROR, q4.exit());
        assertEquals(1, q4.err().lines().count(), q4.err());
        assertTrue(q4.err().contains("code 127 at index 0 of 'fc0.weight' is not in the 4-bit two's-complement range [-8, 7]"),
                q4.err());
    }
}
