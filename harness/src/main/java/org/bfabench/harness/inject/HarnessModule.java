package org.bfabench.harness.inject;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import java.util.Map;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.Attack;
import org.bfabench.spi.Component;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;

/**
 * The harness's Guice wiring. Plugins never see Guice: discovery happens first, with plain
 * {@link java.util.ServiceLoader}s and class loaders, and this module only publishes its result.
 *
 * <p>Binds the {@link PluginRegistry} (one instance per injector) and, keyed by component id,
 * {@code Map<String, Attack>}, {@code Map<String, Defense>}, {@code Map<String, ModelArchitecture>} and
 * {@code Map<String, DatasetProvider>} through {@link MapBinder}s, plus the same maps with
 * {@link LoadedComponent} values. Code that <em>calls</em> a component should use the latter (or the
 * registry): {@link LoadedComponent#call} installs the plugin's class loader as the thread context loader,
 * which ND4J needs to find its backend. Ids are already unique (discovery refuses duplicates), so the
 * MapBinders never see a clash.
 */
public final class HarnessModule extends AbstractModule {
    private final PluginRegistry registry;

    public HarnessModule(PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(PluginRegistry.class).toInstance(registry);
        bindAll(registry.datasets(), new TypeLiteral<>() { }, new TypeLiteral<>() { });
        bindAll(registry.architectures(), new TypeLiteral<>() { }, new TypeLiteral<>() { });
        bindAll(registry.defenses(), new TypeLiteral<>() { }, new TypeLiteral<>() { });
        bindAll(registry.attacks(), new TypeLiteral<>() { }, new TypeLiteral<>() { });
    }

    private <C extends Component> void bindAll(Map<String, LoadedComponent<C>> components, TypeLiteral<C> type,
            TypeLiteral<LoadedComponent<C>> loadedType) {
        MapBinder<String, C> plain = MapBinder.newMapBinder(binder(), new TypeLiteral<String>() { }, type);
        MapBinder<String, LoadedComponent<C>> loaded =
                MapBinder.newMapBinder(binder(), new TypeLiteral<String>() { }, loadedType);
        components.forEach((id, c) -> {
            plain.addBinding(id).toInstance(c.component());
            loaded.addBinding(id).toInstance(c);
        });
    }
}
