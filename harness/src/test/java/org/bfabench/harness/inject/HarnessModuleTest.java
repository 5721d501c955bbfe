package org.bfabench.harness.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginDiscovery;
import org.bfabench.harness.plugin.PluginJars;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.Attack;
import org.bfabench.spi.Defense;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessModuleTest {
    @TempDir
    Path tmp;
    PluginRegistry registry;
    Injector injector;

    @BeforeEach
    void discover() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        PluginJars.jar(dir, "third.jar",
                PluginJars.attackPlugin("test.third", SpiVersion.MAJOR, "", "third-flipper"), "test.third.Plugin");
        registry = PluginDiscovery.discover(Optional.of(dir), Optional.empty());
        injector = Guice.createInjector(new HarnessModule(registry));
    }

    @Test
    void theRegistryIsOneInstancePerInjector() {
        assertSame(registry, injector.getInstance(PluginRegistry.class));
        assertSame(injector.getInstance(PluginRegistry.class), injector.getInstance(PluginRegistry.class));
    }

    @Test
    void attacksAreBoundByIdAsComponentsAndAsLoadedComponents() {
        Map<String, Attack> attacks = injector.getInstance(Key.get(new TypeLiteral<Map<String, Attack>>() { }));
        Map<String, LoadedComponent<Attack>> loaded =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, LoadedComponent<Attack>>>() { }));
        assertEquals(registry.attacks().keySet(), attacks.keySet());
        assertEquals(registry.attacks().keySet(), loaded.keySet());
        assertSame(registry.attacks().get("third-flipper").component(), attacks.get("third-flipper"));
        assertSame(registry.attacks().get("third-flipper"), loaded.get("third-flipper"));
        assertEquals(registry.defenses().keySet(),
                injector.getInstance(Key.get(new TypeLiteral<Map<String, Defense>>() { })).keySet());
    }

    @Test
    void aThirdPartyPluginCannotSeeGuiceOrTheHarness() {
        ClassLoader pluginLoader = registry.attacks().get("third-flipper").loader();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.inject.Injector", false, pluginLoader));
        assertThrows(ClassNotFoundException.class, () -> Class.forName(HarnessModule.class.getName(), false, pluginLoader));
        assertThrows(ClassNotFoundException.class, () -> Class.forName(PluginRegistry.class.getName(), false, pluginLoader));
        assertTrue(Attack.class == assertDoesNotThrowLoad(pluginLoader), "the SPI is shared with the host");
    }

    private static Class<?> assertDoesNotThrowLoad(ClassLoader l) {
        try {
            return Class.forName(Attack.class.getName(), false, l);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
