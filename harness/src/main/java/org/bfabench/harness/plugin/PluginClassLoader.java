package org.bfabench.harness.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Child-first class loader of one third-party plugin (a jar, or a directory of jars), after Trino's
 * {@code PluginClassLoader}.
 *
 * <p>The parent is the platform class loader, so the plugin sees the JDK and its own jars but none of
 * the harness's libraries (Guice, Jackson, picocli, …) and no harness class. Only the packages in
 * {@link #HOST_PACKAGES} come from the host:
 * <ul>
 * <li>{@code org.bfabench.spi.} — the plugin's {@code BenchPlugin} must be the host's interface, or the
 *     harness could not call it;</li>
 * <li>{@code org.bfabench.nn.}, {@code org.nd4j.}, {@code org.bytedeco.} — one ND4J and one set of
 *     natives per process: a second copy would load its natives twice and keep its own off-heap
 *     accounting, and {@code float[]}-backed tensors could not be shared with built-in code;</li>
 * <li>{@code org.slf4j.} — a plugin logs through the host's SLF4J provider and so into the host's log
 *     file; a bundled copy of slf4j-api would find no provider in the plugin loader and drop every line
 *     (with a "No SLF4J providers were found" warning on the console).</li>
 * </ul>
 * Everything else is looked up in the plugin's own jars first, then in the platform loader.
 */
public final class PluginClassLoader extends URLClassLoader {
    /** Package prefixes resolved by the host (harness) class loader. */
    public static final List<String> HOST_PACKAGES = List.of(
            "org.bfabench.spi.", "org.bfabench.nn.", "org.nd4j.", "org.bytedeco.", "org.slf4j.");

    private static final List<String> HOST_RESOURCES = HOST_PACKAGES.stream()
            .map(p -> p.replace('.', '/'))
            .toList();

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * @param name a name for diagnostics (the plugin's path)
     * @param urls the plugin's jars or class directories
     * @param host the loader that defines the SPI (the harness's own loader)
     */
    public PluginClassLoader(String name, List<URL> urls, ClassLoader host) {
        super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (isHostClass(name)) {
                    c = host.loadClass(name);
                } else {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isHostResource(name)) {
            return host.getResource(name);
        }
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isHostResource(name)) {
            return host.getResources(name);
        }
        // Own resources only, then the platform's: the host's META-INF/services files must stay
        // invisible, or the built-in plugins would be discovered a second time through this loader.
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        urls.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(urls);
    }

    static boolean isHostClass(String className) {
        for (String p : HOST_PACKAGES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHostResource(String resource) {
        String r = resource.startsWith("/") ? resource.substring(1) : resource;
        for (String p : HOST_RESOURCES) {
            if (r.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
