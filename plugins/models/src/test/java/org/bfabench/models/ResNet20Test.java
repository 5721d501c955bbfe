package org.bfabench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.junit.jupiter.api.Test;

class ResNet20Test {
    private static final Shape CIFAR = new Shape(3, 32, 32);

    private static ShapeTracer trace(Shape input, int classes, Options options) {
        ShapeTracer t = new ShapeTracer(input);
        new ResNet20().describe(t, input, classes, options);
        return t;
    }

    @Test
    void optionAWithWidths16_32_64HasThe269722ParametersOfTheCifarResNet20() {
        // stem 3·16·9 = 432; stage 1: 6 × 16·16·9 = 13,824; stage 2: 16·32·9 + 5 × 32·32·9 = 50,688;
        // stage 3: 32·64·9 + 5 × 64·64·9 = 202,752; BN γ+β: 2·(16 + 6·16 + 6·32 + 6·64) = 1,376;
        // fc 64·10 + 10 = 650 → 269,722 (the 0.27 M of He et al. 2016, Table 6).
        ShapeTracer t = trace(CIFAR, 10, Options.empty());
        assertEquals(432 + 13_824 + 50_688 + 202_752 + 1_376 + 650, t.params());
        assertEquals(269_722, t.params());
        assertEquals(new ShapeTracer.Node(10, 1, 1, true, null), t.output());
    }

    @Test
    void optionBAddsTwoOneByOneConvsWithBatchNorm() {
        // + 16·32 + 2·32 (stage 2) + 32·64 + 2·64 (stage 3) = 2,752
        ShapeTracer t = trace(CIFAR, 10, Options.empty().with("shortcut", "B"));
        assertEquals(269_722 + 512 + 64 + 2_048 + 128, t.params());
        assertEquals("stage2", t.convGroups().get("layer2.0.shortcut.0"));
        assertEquals("stage3", t.convGroups().get("layer3.0.shortcut.0"));
        assertEquals(19 + 2 + 1, t.attackableLayers().size()); // 19 convs, 2 shortcut convs, fc
    }

    @Test
    void layersAreNamedLikeThePyTorchCifarResNet() {
        List<String> expected = new ArrayList<>(List.of("conv1"));
        for (int s = 1; s <= 3; s++) {
            for (int b = 0; b < 3; b++) {
                expected.add("layer" + s + "." + b + ".conv1");
                expected.add("layer" + s + "." + b + ".conv2");
            }
        }
        expected.add("fc");
        assertEquals(expected, trace(CIFAR, 10, Options.empty()).attackableLayers());
    }

    @Test
    void convsWhoseOutputsAreAddedShareTheirStageGroupAndTheOthersStandAlone() {
        ShapeTracer t = trace(CIFAR, 10, Options.empty());
        assertEquals("stage1", t.convGroups().get("conv1"));
        for (int s = 1; s <= 3; s++) {
            for (int b = 0; b < 3; b++) {
                String p = "layer" + s + "." + b;
                assertEquals("stage" + s, t.convGroups().get(p + ".conv2"));
                assertEquals(p + ".conv1", t.convGroups().get(p + ".conv1"));
            }
        }
        assertEquals(Map.of("stage1", 16, "stage2", 32, "stage3", 64),
                Map.of("stage1", t.groupWidths().get("stage1"), "stage2", t.groupWidths().get("stage2"),
                        "stage3", t.groupWidths().get("stage3")));
        assertEquals(9, t.adds());
    }

    @Test
    void aTwentyEightPixelGreyInputEndsAtSevenBySevenBeforePooling() {
        ShapeTracer t = trace(new Shape(1, 28, 28), 10, Options.empty());
        assertTrue(t.events().contains("gap Node[c=64, h=7, w=7, flat=false, group=stage3]"), t.events().toString());
        assertEquals(269_722 - 2 * 16 * 9, t.params());
    }

    @Test
    void widthFactorAndExplicitWidthsScaleEveryStage() {
        ShapeTracer doubled = trace(CIFAR, 10, Options.empty().with("width_factor", 2));
        ShapeTracer explicit = trace(CIFAR, 10, Options.empty().with("widths", List.of(32, 64, 128)));
        assertEquals(doubled.events(), explicit.events());
        assertEquals(128, doubled.groupWidths().get("stage3"));
        ShapeTracer fromString = trace(CIFAR, 10, Options.empty().with("widths", "[32, 64, 128]"));
        assertEquals(explicit.events(), fromString.events());
    }

    @Test
    void badShortcutOrWidthsAreRejectedWithTheOptionNamed() {
        BenchException c = assertThrows(BenchException.class, () -> trace(CIFAR, 10, Options.empty().with("shortcut", "C")));
        assertTrue(c.getMessage().contains("'shortcut'"), c.getMessage());
        BenchException two = assertThrows(BenchException.class,
                () -> trace(CIFAR, 10, Options.empty().with("widths", List.of(16, 32))));
        assertTrue(two.getMessage().contains("'widths'"), two.getMessage());
        assertThrows(BenchException.class,
                () -> trace(CIFAR, 10, Options.empty().with("widths", List.of(16, 32, 64)).with("width_factor", 1)));
        assertThrows(BenchException.class, () -> trace(CIFAR, 10, Options.empty().with("width_factor", 0)));
        assertThrows(BenchException.class, () -> trace(CIFAR, 10, Options.empty().with("widths", List.of(16, -32, 64))));
    }
}
