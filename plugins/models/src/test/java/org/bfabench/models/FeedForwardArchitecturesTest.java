package org.bfabench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

class FeedForwardArchitecturesTest {
    private static final Shape FMNIST = new Shape(1, 28, 28);
    private static final Shape CIFAR = new Shape(3, 32, 32);

    private static ShapeTracer trace(ModelArchitecture arch, Shape input, int classes, Options options) {
        ShapeTracer t = new ShapeTracer(input);
        arch.describe(t, input, classes, options);
        return t;
    }

    @Test
    void mlpWithHidden256And128HasFlattenedInputsTimesWidthsPlusBatchNormParameters() {
        ShapeTracer t = trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", List.of(256, 128)));
        assertEquals(784 * 256 + 2 * 256 + 256 * 128 + 2 * 128 + 128 * 10 + 10, t.params());
        assertEquals(List.of("fc0", "fc1", "fc"), t.attackableLayers());
        assertEquals(new ShapeTracer.Node(10, 1, 1, true, null), t.output());
    }

    @Test
    void mlpDefaultsToOneHiddenLayerOf256() {
        ShapeTracer t = trace(new Mlp(), CIFAR, 7, Options.empty());
        assertEquals(3072 * 256 + 2 * 256 + 256 * 7 + 7, t.params());
        assertEquals(new ShapeTracer.Node(7, 1, 1, true, null), t.output());
    }

    @Test
    void cnnSmallPoolsTwentyEightDownToThreeAndClassifiesFiveHundredSeventySixFeatures() {
        ShapeTracer t = trace(new CnnSmall(), FMNIST, 10, Options.empty());
        assertTrue(t.events().contains("classifier fc Node[c=576, h=1, w=1, flat=true, group=null] 10"),
                t.events().toString());
        assertEquals(1 * 16 * 9 + 32 + 16 * 32 * 9 + 64 + 32 * 64 * 9 + 128 + 576 * 10 + 10, t.params());
        assertEquals(List.of("conv0", "conv1", "conv2", "fc"), t.attackableLayers());
        t.convGroups().forEach((conv, group) -> assertEquals(conv, group));
    }

    @Test
    void cnnSmallWidthFactorHalvesEveryStage() {
        ShapeTracer t = trace(new CnnSmall(), FMNIST, 10, Options.empty().with("width_factor", 0.5));
        assertEquals(List.of(8, 16, 32), List.copyOf(t.groupWidths().values()));
    }

    @Test
    void vggSmallDefaultsToAQuarterOfThePaperWidths() {
        ShapeTracer t = trace(new VggSmall(), FMNIST, 10, Options.empty());
        assertEquals(List.of(32, 32, 64, 64, 128, 128), List.copyOf(t.groupWidths().values()));
        long convs = 1 * 32 * 9 + 32 * 32 * 9 + 32 * 64 * 9 + 64 * 64 * 9 + 64 * 128 * 9 + 128 * 128 * 9;
        long bn = 2 * (32 + 32 + 64 + 64 + 128 + 128);
        assertEquals(convs + bn + 128 * 3 * 3 * 10 + 10, t.params());
        assertEquals(List.of("conv0", "conv1", "conv2", "conv3", "conv4", "conv5", "fc"), t.attackableLayers());
    }

    @Test
    void vggSmallAtFullWidthOnCifarFlattensFiveTwelveByFourByFour() {
        ShapeTracer t = trace(new VggSmall(), CIFAR, 10, Options.empty().with("width_factor", 1));
        assertTrue(t.events().contains("classifier fc Node[c=8192, h=1, w=1, flat=true, group=null] 10"),
                t.events().toString());
        assertEquals(List.of(128, 128, 256, 256, 512, 512), List.copyOf(t.groupWidths().values()));
    }

    @Test
    void inputsTooSmallForThreePoolsAreRejected() {
        BenchException e = assertThrows(BenchException.class,
                () -> trace(new CnnSmall(), new Shape(1, 7, 28), 10, Options.empty()));
        assertTrue(e.getMessage().contains("8x8"), e.getMessage());
        assertThrows(BenchException.class, () -> trace(new VggSmall(), new Shape(3, 4, 4), 10, Options.empty()));
    }

    @Test
    void badHiddenWidthsAreRejected() {
        assertThrows(BenchException.class, () -> trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", List.of())));
        assertThrows(BenchException.class, () -> trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", "256,x")));
        assertThrows(BenchException.class, () -> trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", 0)));
        assertEquals(trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", List.of(64, 32))).events(),
                trace(new Mlp(), FMNIST, 10, Options.empty().with("hidden", "64, 32")).events());
    }
}
