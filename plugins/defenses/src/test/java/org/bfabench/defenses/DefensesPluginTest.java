package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.ServiceLoader;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.Test;

class DefensesPluginTest {

    @Test
    void serviceLoaderFindsThePluginWithTheFiveDefenseIds() {
        List<BenchPlugin> plugins = ServiceLoader.load(BenchPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof DefensesPlugin).toList();
        assertEquals(1, plugins.size());
        BenchPlugin p = plugins.get(0);
        assertEquals(SpiVersion.MAJOR, p.spiVersion());
        assertEquals(List.of("quantized-8bit", "quantized-4bit", "binary-weights", "bnn", "ra-bnn"),
                p.defenses().stream().map(Component::id).toList());
        p.defenses().forEach(d -> assertEquals(true, Component.ID_PATTERN.matcher(d.id()).matches()));
    }
}
