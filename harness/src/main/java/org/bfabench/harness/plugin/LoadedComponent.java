package org.bfabench.harness.plugin;

import java.util.function.Supplier;
import org.bfabench.spi.Component;

/**
 * A discovered plugin component together with where it came from.
 *
 * <p>ND4J finds its backend through the thread context class loader, so every call into a plugin
 * goes through {@link #call} or {@link #run}, which install the plugin's loader for the duration.
 *
 * @param component the component
 * @param source    {@code built-in} or the path of the jar/directory it was loaded from
 * @param loader    the class loader that defined it
 */
public record LoadedComponent<C extends Component>(C component, String source, ClassLoader loader) {

    public String id() {
        return component.id();
    }

    /** Runs {@code body} with this component's class loader as the thread context class loader. */
    public <R> R call(Supplier<R> body) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    public void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }
}
