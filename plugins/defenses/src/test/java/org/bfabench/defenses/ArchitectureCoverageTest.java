package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bfabench.defenses.quantized.QuantizedNetworkBuilder;
import org.bfabench.defenses.bnn.BnnNetworkBuilder;
import org.bfabench.models.ModelsPlugin;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.surface.NetworkSurface;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

/** Every real architecture builds under every layer kind, and the attack surface lists its layers in order. */
class ArchitectureCoverageTest {

    /** Records the names an architecture gives its conv and linear layers, in call order. */
    private static List<String> weightedNames(ModelArchitecture a, Shape in, Options o) {
        List<String> names = new ArrayList<>();
        GraphBuilder b = new QuantizedNetworkBuilder(in, 0, 8) {
            @Override
            public Integer conv(String name, Integer x, ConvSpec spec) {
                names.add(name);
                return super.conv(name, x, spec);
            }

            @Override
            public Integer linear(String name, Integer x, int out, boolean bias) {
                names.add(name);
                return super.linear(name, x, out, bias);
            }

            @Override
            public Integer classifier(String name, Integer x, int classes) {
                names.add(name);
                return super.classifier(name, x, classes);
            }
        };
        a.describe(b, in, 10, o);
        return names;
    }

    private static Batch batch(Shape s, int n) {
        Random r = new Random(1);
        float[] x = new float[n * s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new Batch(s, x, new int[n]);
    }

    @Test
    void everyArchitectureBuildsWithEveryLayerKindAndExposesItsLayersInOrder() {
        Shape fashion = new Shape(1, 28, 28);
        Shape cifar = new Shape(3, 32, 32);
        Map<String, java.util.function.BiFunction<Shape, Long, GraphBuilder>> kinds = Map.of(
                "q4", (s, seed) -> new QuantizedNetworkBuilder(s, seed, 4),
                "bnn", BnnNetworkBuilder::new);
        for (ModelArchitecture a : new ModelsPlugin().architectures()) {
            for (Shape s : List.of(fashion, cifar)) {
                if (a.id().equals("vgg-small") && s == fashion) {
                    continue; // the widest network; one input shape is enough to cover it
                }
                for (var kind : kinds.entrySet()) {
                    GraphBuilder b = kind.getValue().apply(s, 3L);
                    a.describe(b, s, 10, Options.empty());
                    Network net = b.build();
                    NetworkSurface surface = new NetworkSurface(net);
                    List<String> names = surface.layers().stream().map(AttackableLayer::name).toList();
                    assertEquals(weightedNames(a, s, Options.empty()), names, a.id() + " " + kind.getKey());
                    assertTrue(surface.layers().stream().allMatch(l -> l.bits() == (kind.getKey().equals("bnn") ? 1 : 4)));
                    Batch in = batch(s, 2);
                    int[] fromEvaluator = surface.predict(in);
                    Tensor[] acts = net.forward(net.input(in.images().clone(), 2), false);
                    assertArrayEquals(new int[] {2, 10}, net.logits(acts).shape());
                    assertArrayEquals(org.bfabench.nn.layer.SoftmaxCrossEntropy.argmax(net.logits(acts)), fromEvaluator);
                }
            }
        }
    }

    @Test
    void xnorAndFloatPathsOfABnnResNet20GiveIdenticalLogits() {
        ModelArchitecture resnet = new ModelsPlugin().architectures().stream().filter(a -> a.id().equals("resnet20"))
                .findFirst().orElseThrow();
        Shape s = new Shape(3, 32, 32);
        GraphBuilder b = new BnnNetworkBuilder(s, 5);
        resnet.describe(b, s, 10, Options.empty());
        Network net = b.build();
        Batch in = batch(s, 4);
        for (int i = 0; i < 2; i++) {
            net.forward(net.input(in.images().clone(), 4), true); // non-trivial batch-norm statistics
        }
        NetworkSurface surface = new NetworkSurface(net);
        Tensor floatLogits = net.logits(net.forward(net.input(in.images().clone(), 4), false));
        try (var e = surface.evaluator(in)) {
            double loss = e.loss();
            assertEquals(org.bfabench.nn.layer.SoftmaxCrossEntropy.loss(floatLogits, in.labels()), loss, 0.0);
        }
    }
}
