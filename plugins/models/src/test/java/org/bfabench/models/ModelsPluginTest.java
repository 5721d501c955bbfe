package org.bfabench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModelsPluginTest {

    static List<ModelArchitecture> architectures() {
        return new ModelsPlugin().architectures();
    }

    @Test
    void serviceLoaderFindsThePluginWithTheFourContractIds() {
        List<BenchPlugin> plugins = ServiceLoader.load(BenchPlugin.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof ModelsPlugin).toList();
        assertEquals(1, plugins.size());
        assertEquals(SpiVersion.MAJOR, plugins.get(0).spiVersion());
        assertEquals(List.of("mlp", "cnn-small", "vgg-small", "resnet20"),
                plugins.get(0).architectures().stream().map(Component::id).toList());
        plugins.get(0).architectures().forEach(a -> assertTrue(Component.ID_PATTERN.matcher(a.id()).matches()));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void describingTwiceGivesTheSameNetwork(ModelArchitecture arch) {
        for (Shape input : List.of(new Shape(1, 28, 28), new Shape(3, 32, 32))) {
            ShapeTracer first = new ShapeTracer(input);
            ShapeTracer second = new ShapeTracer(input);
            arch.describe(first, input, 10, Options.empty());
            arch.describe(second, input, 10, Options.empty());
            assertEquals(first.events(), second.events());
            assertEquals(new ShapeTracer.Node(10, 1, 1, true, null), first.output());
            assertEquals("fc", first.attackableLayers().get(first.attackableLayers().size() - 1));
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void unknownOptionsAreRejectedListingTheKnownOnes(ModelArchitecture arch) {
        Shape input = new Shape(1, 28, 28);
        BenchException e = assertThrows(BenchException.class,
                () -> arch.describe(new ShapeTracer(input), input, 10, Options.empty().with("widht_factor", 1)));
        assertTrue(e.getMessage().contains("unknown option 'widht_factor'"), e.getMessage());
        assertTrue(e.getMessage().contains("known options: "), e.getMessage());
        assertTrue(e.getMessage().startsWith(arch.id() + ":"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void fewerThanTwoClassesAreRejected(ModelArchitecture arch) {
        Shape input = new Shape(1, 28, 28);
        assertThrows(BenchException.class, () -> arch.describe(new ShapeTracer(input), input, 1, Options.empty()));
    }
}
