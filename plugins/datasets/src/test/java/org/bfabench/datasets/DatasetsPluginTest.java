package org.bfabench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.Test;

class DatasetsPluginTest {
    @Test
    void serviceLoaderFindsThePluginWithTheThreeContractIds() {
        List<BenchPlugin> plugins = ServiceLoader.load(BenchPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof DatasetsPlugin).toList();
        assertEquals(1, plugins.size());
        assertEquals(SpiVersion.MAJOR, plugins.get(0).spiVersion());
        assertEquals(List.of("fashion-mnist", "mnist", "cifar10"),
                plugins.get(0).datasets().stream().map(Component::id).toList());
        plugins.get(0).datasets().forEach(d -> assertTrue(Component.ID_PATTERN.matcher(d.id()).matches()));
    }
}
