package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bfabench.defenses.binary.BinaryWeightsDefense;
import org.bfabench.defenses.binary.BinaryWeightsNetworkBuilder;
import org.bfabench.defenses.bnn.BnnDefense;
import org.bfabench.defenses.common.DefendedNetwork;
import org.bfabench.defenses.common.NetworkDefense;
import org.bfabench.defenses.common.NetworkState;
import org.bfabench.defenses.quantized.QuantizedDefense;
import org.bfabench.defenses.quantized.QuantizedNetworkBuilder;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Batch;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.Shape;
import org.bfabench.spi.WeightArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing PyTorch-named float weights into the quantized and binary-weights defenses. */
class WeightImportTest {
    private static final Shape CIFAR_SMALL = new Shape(3, 16, 16);

    private static Batch batch(Shape s, int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new Batch(s, x, new int[n]);
    }

    /** A bfabench network in training state with non-trivial batch-norm parameters and running statistics. */
    private static Network trainedLike(GraphBuilder b, ModelArchitecture arch, Shape s) {
        arch.describe(b, s, 10, Options.empty());
        Network net = b.build();
        Batch in = batch(s, 4, 7);
        Random r = new Random(11);
        for (Node n : net.nodes()) {
            if (n.layer() != null) {
                for (Param p : n.layer().params()) {
                    if (!p.name().equals("weight")) {
                        for (int i = 0; i < p.value().length; i++) {
                            p.value()[i] = (float) (p.name().equals("gamma") ? 0.5 + r.nextDouble() : 0.2 * r.nextGaussian());
                        }
                    }
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            net.forward(net.input(in.images().clone(), 4), true);
        }
        return net;
    }

    /** The test's exporter: what {@code model.state_dict()} of the same network holds in PyTorch. */
    private static Map<String, WeightArray> exportAsPyTorch(Network net) {
        Map<String, WeightArray> m = new LinkedHashMap<>();
        for (Node n : net.nodes()) {
            if (n.layer() instanceof Conv2d c) {
                m.put(n.name() + ".weight", new WeightArray(c.weights().params().get(0).value().clone(),
                        new int[] {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()}));
            } else if (n.layer() instanceof Linear l) {
                m.put(n.name() + ".weight", new WeightArray(l.weights().params().get(0).value().clone(),
                        new int[] {l.outChannels(), l.inFeatures()}));
                l.params().stream().filter(p -> p.name().equals("bias")).forEach(p ->
                        m.put(n.name() + ".bias", new WeightArray(p.value().clone(), new int[] {p.value().length})));
            } else if (n.layer() instanceof BatchNorm bn) {
                Map<String, String> torch = Map.of("gamma", "weight", "beta", "bias", "running_mean", "running_mean",
                        "running_var", "running_var");
                for (Param p : bn.params()) {
                    m.put(n.name() + "." + torch.get(p.name()), new WeightArray(p.value().clone(), new int[] {bn.channels()}));
                }
                for (Param p : bn.buffers()) {
                    m.put(n.name() + "." + torch.get(p.name()), new WeightArray(p.value().clone(), new int[] {bn.channels()}));
                }
                m.put(n.name() + ".num_batches_tracked", new WeightArray(new float[] {3}, new int[0]));
            }
        }
        return m;
    }

    private static void assertSameFrozenState(Network expected, Network actual, String what) {
        Map<String, float[]> e = NetworkState.of(expected);
        Map<String, float[]> a = NetworkState.of(actual);
        assertEquals(e.keySet(), a.keySet(), what);
        for (String k : e.keySet()) {
            assertArrayEquals(e.get(k), a.get(k), what + " " + k);
        }
    }

    private void roundTrip(NetworkDefense defense, java.util.function.Function<Shape, GraphBuilder> builder, String archId,
            Shape s) {
        ModelArchitecture arch = FashionMnist.architecture(archId);
        Network reference = trainedLike(builder.apply(s), arch, s);
        Map<String, WeightArray> exported = exportAsPyTorch(reference);
        for (WeightedLayer l : reference.weightedLayers()) {
            l.weights().freeze();
        }
        ModelContext ctx = new ModelContext(arch, Options.empty(), s, 10, Options.empty());
        try (DefendedNetwork ref = new DefendedNetwork(defense.id(), defense.version(), reference, Map.of());
                DefendedModel imported = defense.importWeights(ctx, exported)) {
            Network net = ((DefendedNetwork) imported).network();
            String what = defense.id() + "/" + archId;
            assertSameFrozenState(reference, net, what);
            Batch in = batch(s, 16, 3);
            assertArrayEquals(ref.predict(in), imported.predict(in), what);
            assertArrayEquals(reference.logits(reference.forward(reference.input(in.images().clone(), 16), false)).data(),
                    net.logits(net.forward(net.input(in.images().clone(), 16), false)).data(), what);
        }
    }

    @Test
    void importedFloatWeightsFreezeToTheSameCodesScalesAndPredictionsAsTheDefenseItself() {
        roundTrip(new QuantizedDefense(8), s -> new QuantizedNetworkBuilder(s, 5, 8), "resnet20", CIFAR_SMALL);
        roundTrip(new QuantizedDefense(4), s -> new QuantizedNetworkBuilder(s, 6, 4), "mlp", new Shape(1, 28, 28));
        roundTrip(new BinaryWeightsDefense(), s -> new BinaryWeightsNetworkBuilder(s, 7), "cnn-small", new Shape(1, 28, 28));
    }

    @Test
    void parametersNamePyTorchStateDictKeysWithShapesAndOnlyWeightsAttackable() {
        ModelContext ctx = new ModelContext(FashionMnist.architecture("resnet20"), Options.empty(), new Shape(3, 32, 32), 10,
                Options.empty());
        List<ParameterSpec> specs = new QuantizedDefense(8).parameters(ctx);
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(p -> byName.put(p.name(), p));
        assertArrayEquals(new int[] {16, 3, 3, 3}, byName.get("conv1.weight").shape());
        assertArrayEquals(new int[] {64, 32, 3, 3}, byName.get("layer3.0.conv1.weight").shape());
        assertArrayEquals(new int[] {10, 64}, byName.get("fc.weight").shape());
        assertArrayEquals(new int[] {10}, byName.get("fc.bias").shape());
        assertTrue(byName.get("layer2.1.bn2.running_var").buffer());
        assertEquals(20, specs.stream().filter(ParameterSpec::attackable).count()); // conv1, 18 block convs, fc
        assertTrue(specs.stream().filter(ParameterSpec::attackable).allMatch(p -> p.name().endsWith(".weight")
                && (p.name().contains("conv") || p.name().equals("fc.weight"))));
        // the 269,722 parameters plugins/models/README.md gives for ResNet-20 option A
        long params = specs.stream().filter(p -> !p.buffer()).mapToLong(p -> Arrays.stream(p.shape()).asLongStream()
                .reduce(1, (x, y) -> x * y)).sum();
        assertEquals(269_722, params);
    }

    /** Direct PyTorch-semantics convolution (cross-correlation, zero padding) on [out, in, kh, kw] weights. */
    private static float[] referenceConv(float[] x, int n, int c, int h, int w, float[] weight, int o, int k, int stride,
            int pad) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        float[] out = new float[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double s = 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * stride + ky - pad;
                                    int ix = z * stride + kx - pad;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += (double) weight[((oc * c + ic) * k + ky) * k + kx] * x[((b * c + ic) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        out[((b * o + oc) * oh + y) * ow + z] = (float) s;
                    }
                }
            }
        }
        return out;
    }

    private static float[] swapKernelAxes(float[] oihw, int k) {
        float[] out = new float[oihw.length];
        for (int base = 0; base < oihw.length; base += k * k) {
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    out[base + x * k + y] = oihw[base + y * k + x];
                }
            }
        }
        return out;
    }

    @Test
    void pyTorchLayoutConvWeightsGiveTheOutputsOfAnIndependentReferenceConvolution() {
        Shape s = new Shape(3, 8, 8);
        ModelContext ctx = new ModelContext(FashionMnist.architecture("resnet20"), Options.empty(), s, 10, Options.empty());
        QuantizedDefense q8 = new QuantizedDefense(8);
        Random r = new Random(21);
        Map<String, WeightArray> arrays = new LinkedHashMap<>();
        for (ParameterSpec p : q8.parameters(ctx)) {
            int size = Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b);
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                if (p.attackable()) {
                    // on the 8-bit grid of step 2^-7 with one code at 127, so quantization is exact
                    v[i] = (i == 0 ? 127 : r.nextInt(255) - 127) / 128f;
                } else {
                    v[i] = p.name().endsWith("running_var") || p.name().endsWith("bn1.weight")
                            || p.name().endsWith("bn2.weight") ? 1f : 0f;
                }
            }
            arrays.put(p.name(), new WeightArray(v, p.shape()));
        }
        try (DefendedModel m = q8.importWeights(ctx, arrays)) {
            Network net = ((DefendedNetwork) m).network();
            Batch in = batch(s, 2, 9);
            Tensor[] acts = net.forward(net.input(in.images().clone(), 2), false);
            int checked = 0;
            for (int i = 0; i < net.size(); i++) {
                Node node = net.nodes().get(i);
                if (node.layer() instanceof Conv2d c && (node.name().equals("conv1") || node.name().equals("layer2.0.conv1"))) {
                    Tensor x = acts[node.inputs()[0]];
                    float[] expected = referenceConv(x.data(), 2, c.inChannels(), x.dim(2), x.dim(3),
                            arrays.get(node.name() + ".weight").values(), c.outChannels(), c.kernel(), c.stride(), c.padding());
                    float[] actual = acts[i].data();
                    assertEquals(expected.length, actual.length, node.name());
                    // oneDNN may reassociate the fp32 sums (code units up to ~10^4): allow 1e-3 relative, far
                    // below what a wrong layout gives (checked below with kh and kw swapped)
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], actual[j], 1e-3 * (1 + Math.abs(expected[j])), node.name() + " @" + j);
                    }
                    float[] swapped = referenceConv(x.data(), 2, c.inChannels(), x.dim(2), x.dim(3),
                            swapKernelAxes(arrays.get(node.name() + ".weight").values(), c.kernel()), c.outChannels(),
                            c.kernel(), c.stride(), c.padding());
                    boolean distinguishable = false;
                    for (int j = 0; j < swapped.length; j++) {
                        distinguishable |= Math.abs(swapped[j] - actual[j]) > 1e-2 * (1 + Math.abs(swapped[j]));
                    }
                    assertTrue(distinguishable, node.name() + ": the tolerance cannot tell OIHW from OIWH");
                    checked++;
                }
            }
            assertEquals(2, checked);
        }
    }

    @Test
    void aMissingArrayOrAWrongShapeIsOneLineNamingTheArrayAndBothShapes() {
        ModelContext ctx = new ModelContext(FashionMnist.architecture("cnn-small"), Options.empty(), new Shape(1, 28, 28), 10,
                Options.empty());
        QuantizedDefense q8 = new QuantizedDefense(8);
        Map<String, WeightArray> arrays = new LinkedHashMap<>();
        for (ParameterSpec p : q8.parameters(ctx)) {
            arrays.put(p.name(), new WeightArray(new float[Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b)], p.shape()));
        }
        Map<String, WeightArray> missing = new LinkedHashMap<>(arrays);
        missing.remove("bn1.running_mean");
        BenchException e = assertThrows(BenchException.class, () -> q8.importWeights(ctx, missing));
        assertTrue(e.getMessage().contains("'bn1.running_mean'"), e.getMessage());
        Map<String, WeightArray> transposed = new LinkedHashMap<>(arrays);
        transposed.put("conv1.weight", new WeightArray(new float[16 * 32 * 9], new int[] {16, 32, 3, 3}));
        e = assertThrows(BenchException.class, () -> q8.importWeights(ctx, transposed));
        assertTrue(e.getMessage().contains("[16, 32, 3, 3]") && e.getMessage().contains("[32, 16, 3, 3]"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
    }

    @Test
    void aCompleteBnnRefusesFloatWeightImport() {
        ModelContext ctx = new ModelContext(FashionMnist.architecture("cnn-small"), Options.empty(), new Shape(1, 28, 28), 10,
                Options.empty());
        BenchException e = assertThrows(BenchException.class, () -> new BnnDefense().parameters(ctx));
        assertTrue(e.getMessage().contains("bnn"), e.getMessage());
    }

    @Test
    void anImportedModelSavesAndLoadsBackWithIdenticalPredictions(@TempDir Path dir) {
        Shape s = new Shape(1, 28, 28);
        ModelArchitecture arch = FashionMnist.architecture("cnn-small");
        Network reference = trainedLike(new QuantizedNetworkBuilder(s, 2, 8), arch, s);
        ModelContext ctx = new ModelContext(arch, Options.empty(), s, 10, Options.empty());
        QuantizedDefense q8 = new QuantizedDefense(8);
        Batch in = batch(s, 16, 4);
        try (DefendedModel imported = q8.importWeights(ctx, exportAsPyTorch(reference))) {
            imported.save(dir.resolve("m.npz"));
            try (DefendedModel loaded = q8.load(ctx, dir.resolve("m.npz"))) {
                assertArrayEquals(imported.predict(in), loaded.predict(in));
                assertEquals("imported", loaded.facts().get("source"));
            }
        }
    }

    /**
     * Every parameter of {@code arch} under {@code defense}: attackable weights as random codes in
     * [-limit, limit] with code {@code top} at index 0, everything else as float batch-norm/bias values.
     */
    private static Map<String, WeightArray> codesAndFloats(NetworkDefense defense, ModelContext ctx, int limit, int top,
            long seed) {
        Random r = new Random(seed);
        Map<String, WeightArray> arrays = new LinkedHashMap<>();
        for (ParameterSpec p : defense.parameters(ctx)) {
            float[] v = new float[Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) {
                if (p.attackable()) {
                    v[i] = i == 0 ? top : limit == 1 ? (r.nextBoolean() ? 1 : -1) : r.nextInt(2 * limit + 1) - limit;
                } else {
                    v[i] = p.name().endsWith("running_var") || p.name().endsWith(".weight") ? 0.5f + r.nextFloat()
                            : (float) (0.1 * r.nextGaussian());
                }
            }
            arrays.put(p.name(), new WeightArray(v, p.shape()));
        }
        return arrays;
    }

    private static Map<String, WeightArray> steps(NetworkDefense defense, ModelContext ctx, float step) {
        Map<String, WeightArray> steps = new LinkedHashMap<>();
        defense.parameters(ctx).stream().filter(ParameterSpec::attackable)
                .forEach(p -> steps.put(p.name(), new WeightArray(new float[] {step}, new int[0])));
        return steps;
    }

    private static Map<String, WeightArray> timesStep(Map<String, WeightArray> codes, Map<String, WeightArray> steps) {
        Map<String, WeightArray> floats = new LinkedHashMap<>(codes);
        steps.forEach((name, step) -> {
            float[] v = codes.get(name).values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= step.values()[0];
            }
            floats.put(name, new WeightArray(v, codes.get(name).shape()));
        });
        return floats;
    }

    private static Map<String, float[]> codesOf(DefendedModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        NetworkState.of(((DefendedNetwork) m).network()).forEach((k, v) -> {
            if (k.endsWith("/codes") || k.endsWith("/scale")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void integerCodesWithAStepAreStoredExactlyAndPredictLikeTheSameWeightsImportedAsCodeTimesStep() {
        Shape s = new Shape(1, 28, 28);
        ModelContext ctx = new ModelContext(FashionMnist.architecture("cnn-small"), Options.empty(), s, 10, Options.empty());
        QuantizedDefense q8 = new QuantizedDefense(8);
        Batch in = batch(s, 16, 8);
        // one code at 127 per layer and a power-of-two step: the defense's own quantizer recovers these codes
        // and this step from code*step, so both imports must agree bit for bit
        Map<String, WeightArray> codes = codesAndFloats(q8, ctx, 127, 127, 31);
        Map<String, WeightArray> steps = steps(q8, ctx, 0x1p-9f);
        try (DefendedModel fromCodes = q8.importWeights(ctx, codes, steps);
                DefendedModel fromFloats = q8.importWeights(ctx, timesStep(codes, steps))) {
            Map<String, float[]> stored = codesOf(fromCodes);
            for (String name : steps.keySet()) {
                String layer = name.substring(0, name.length() - ".weight".length());
                assertArrayEquals(codes.get(name).values(), stored.get(layer + "/codes"), name);
                assertArrayEquals(new float[] {0x1p-9f}, stored.get(layer + "/scale"), name);
            }
            Map<String, float[]> other = codesOf(fromFloats);
            assertEquals(other.keySet(), stored.keySet());
            other.forEach((k, v) -> assertArrayEquals(v, stored.get(k), k));
            assertArrayEquals(fromFloats.predict(in), fromCodes.predict(in));
        }
        // codes the quantizer would never produce (largest |code| 5, and -128) are kept as given with the given step
        Map<String, WeightArray> small = codesAndFloats(q8, ctx, 5, -128, 32);
        try (DefendedModel m = q8.importWeights(ctx, small, steps(q8, ctx, 0.03f))) {
            Map<String, float[]> stored = codesOf(m);
            assertArrayEquals(small.get("fc.weight").values(), stored.get("fc/codes"));
            assertEquals(-128f, stored.get("conv1/codes")[0]);
            assertArrayEquals(new float[] {0.03f}, stored.get("fc/scale"));
        }
    }

    @Test
    void aCodeOutsideTheDefensesTwosComplementRangeOrNotAnIntegerIsOneLineNamingArrayIndexValueAndRange() {
        Shape s = new Shape(1, 28, 28);
        ModelContext ctx = new ModelContext(FashionMnist.architecture("mlp"), Options.empty(), s, 10, Options.empty());
        QuantizedDefense q4 = new QuantizedDefense(4);
        Map<String, WeightArray> codes = codesAndFloats(q4, ctx, 7, -8, 33);
        float[] fc = codes.get("fc.weight").values();
        fc[3] = 8;
        BenchException e = assertThrows(BenchException.class, () -> q4.importWeights(ctx, codes, steps(q4, ctx, 0.1f)));
        assertEquals("weight import: code 8 at index 3 of 'fc.weight' is not in the 4-bit two's-complement range [-8, 7];"
                + " export the codes the model stores, or float weights without a step", e.getMessage());
        fc[3] = 2.5f;
        e = assertThrows(BenchException.class, () -> q4.importWeights(ctx, codes, steps(q4, ctx, 0.1f)));
        assertTrue(e.getMessage().startsWith("weight import: code 2.5 at index 3 of 'fc.weight'"), e.getMessage());
        fc[3] = 7;
        e = assertThrows(BenchException.class, () -> q4.importWeights(ctx, codes, steps(q4, ctx, -0.1f)));
        assertEquals("weight import: the step of 'fc0.weight' is -0.1; it must be a positive finite number", e.getMessage());
        Map<String, WeightArray> onBias = new LinkedHashMap<>(steps(q4, ctx, 0.1f));
        onBias.put("bn0.running_mean", new WeightArray(new float[] {1}, new int[0]));
        e = assertThrows(BenchException.class, () -> q4.importWeights(ctx, codes, onBias));
        assertTrue(e.getMessage().contains("'bn0.running_mean', which is not an attackable weight"), e.getMessage());
    }

    @Test
    void binaryCodesAreSignsPlusOneStoredAsBitOneAndTheStepIsTheLayerScale() {
        Shape s = new Shape(1, 28, 28);
        ModelContext ctx = new ModelContext(FashionMnist.architecture("cnn-small"), Options.empty(), s, 10, Options.empty());
        BinaryWeightsDefense bw = new BinaryWeightsDefense();
        Map<String, WeightArray> codes = codesAndFloats(bw, ctx, 1, -1, 34);
        Map<String, WeightArray> steps = steps(bw, ctx, 0.037f);
        try (DefendedModel fromCodes = bw.importWeights(ctx, codes, steps);
                DefendedModel fromFloats = bw.importWeights(ctx, timesStep(codes, steps))) {
            Network net = ((DefendedNetwork) fromCodes).network();
            for (Node n : net.nodes()) {
                if (n.layer() instanceof WeightedLayer wl) {
                    float[] given = codes.get(n.name() + ".weight").values();
                    var memory = wl.weights().memory().orElseThrow();
                    for (int i = 0; i < given.length; i++) {
                        assertEquals(given[i] > 0, memory.bit(i, 0), n.name() + " bit " + i);
                        assertEquals((int) given[i], memory.code(i), n.name() + " code " + i);
                    }
                    assertArrayEquals(new float[] {0.037f}, wl.weights().scale(false), n.name());
                }
            }
            Batch in = batch(s, 16, 10);
            assertArrayEquals(fromFloats.predict(in), fromCodes.predict(in), "mean|±0.037| is 0.037: the same model");
        }
        codes.get("conv1.weight").values()[5] = 0;
        BenchException e = assertThrows(BenchException.class, () -> bw.importWeights(ctx, codes, steps));
        assertTrue(e.getMessage().contains("code 0 at index 5 of 'conv1.weight' is not in binary codes -1 or +1 (+1 is stored"
                + " as bit 1, -1 as bit 0)"), e.getMessage());
    }
}
