package org.bfabench.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.Test;

class AttacksPluginTest {

    @Test
    void theServiceLoaderFindsThePluginWithPbfaAndRandomFlip() {
        List<BenchPlugin> plugins = ServiceLoader.load(BenchPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof AttacksPlugin).toList();
        assertEquals(1, plugins.size());
        BenchPlugin plugin = plugins.get(0);
        assertEquals(SpiVersion.MAJOR, plugin.spiVersion());
        assertEquals(List.of("pbfa", "random-flip"), plugin.attacks().stream().map(Attack::id).toList());
        assertSame(plugin.attacks(), plugin.attacks());
        for (Attack a : plugin.attacks()) {
            assertTrue(Component.ID_PATTERN.matcher(a.id()).matches(), a.id());
            assertTrue(!a.version().isBlank() && !a.description().isBlank());
        }
        assertTrue(plugin.datasets().isEmpty() && plugin.defenses().isEmpty() && plugin.architectures().isEmpty());
    }
}
