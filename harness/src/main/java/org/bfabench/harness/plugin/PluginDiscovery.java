package org.bfabench.harness.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.SpiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every plugin: the built-in ones through {@link ServiceLoader} on the host class loader, and
 * third-party ones in a plugins directory, each with its own {@link PluginClassLoader}.
 *
 * <p>In the plugins directory every {@code *.jar} is one plugin, and every sub-directory is one plugin
 * whose class path is the {@code *.jar} files in it (a plugin with its private dependencies, as in
 * Trino) — or the directory itself when it holds {@code META-INF/services/org.bfabench.spi.BenchPlugin}
 * (unpacked classes). Hidden entries and other files are ignored. A broken third-party plugin never
 * stops discovery: it becomes one line in {@link PluginRegistry#problems()} and everything else loads.
 */
public final class PluginDiscovery {
    static final String SERVICE_FILE = "META-INF/services/" + BenchPlugin.class.getName();
    private static final Logger log = LoggerFactory.getLogger(PluginDiscovery.class);

    private final ClassLoader host;
    private final Optional<Path> pluginsDir;
    private final Optional<TrustedPlugins> trusted;

    /**
     * @param host       the loader holding the SPI and the built-in plugins (normally the harness's own)
     * @param pluginsDir where third-party plugins live; a missing directory means "none"
     * @param trusted    when present, only jars whose SHA-256 is listed are loaded
     */
    public PluginDiscovery(ClassLoader host, Optional<Path> pluginsDir, Optional<TrustedPlugins> trusted) {
        this.host = host;
        this.pluginsDir = pluginsDir;
        this.trusted = trusted;
    }

    /** The built-in plugins plus those in {@code pluginsDir}, loaded by the harness's class loader. */
    public static PluginRegistry discover(Optional<Path> pluginsDir, Optional<TrustedPlugins> trusted) {
        return new PluginDiscovery(PluginDiscovery.class.getClassLoader(), pluginsDir, trusted).discover();
    }

    public PluginRegistry discover() {
        ComponentCollector collector = new ComponentCollector();
        load(ServiceLoader.load(BenchPlugin.class, host), "built-in", host, collector);
        pluginsDir.filter(Files::isDirectory).ifPresent(dir -> {
            for (Path entry : entries(dir, collector)) {
                loadThirdParty(entry, collector);
            }
        });
        PluginRegistry registry = collector.build();
        // problems go to the caller (the CLI prints them as warnings) and to the log file, not twice to the console
        registry.problems().forEach(p -> log.info("plugin problem: {}", p));
        registry.report().forEach(r -> log.info("plugin loaded: {} {} {} from {} (SPI {})", r.kind(), r.id(),
                r.version(), r.source(), r.spiVersion()));
        return registry;
    }

    private static List<Path> entries(Path dir, ComponentCollector collector) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            collector.problem(dir + ": cannot list the plugins directory (" + e.getMessage() + ")");
            return List.of();
        }
    }

    private void loadThirdParty(Path entry, ComponentCollector collector) {
        String source = entry.toString();
        boolean isDir = Files.isDirectory(entry);
        boolean classesDir = isDir && Files.isRegularFile(entry.resolve(SERVICE_FILE));
        List<Path> jars = classesDir ? List.of() : isDir ? jarsIn(entry) : List.of(entry);
        if (isDir && !classesDir && jars.isEmpty()) {
            collector.problem(source + ": plugin directory holds no *.jar and no " + SERVICE_FILE
                    + "; put the plugin jar in it or remove the directory");
            return;
        }
        if (classesDir && trusted.isPresent()) {
            collector.problem(source + ": a class directory has no digest to check against the trusted list "
                    + trusted.get().file() + "; package the plugin as a jar and list its SHA-256 — not loaded");
            return;
        }
        boolean hasServiceEntry = classesDir;
        for (Path jar : jars) {
            if (trusted.isPresent() && !isTrusted(jar, source, collector)) {
                return;
            }
            try (JarFile jf = new JarFile(jar.toFile())) {
                hasServiceEntry |= jf.getEntry(SERVICE_FILE) != null;
            } catch (IOException e) {
                collector.problem(jar + ": not a readable jar file (" + e.getMessage()
                        + "); remove it from the plugins directory or replace it with a plugin jar");
                return;
            }
        }
        if (!hasServiceEntry) {
            collector.problem(source + ": no " + SERVICE_FILE + " entry, so it declares no plugin; list your "
                    + "BenchPlugin implementation's class name in that file and rebuild the jar");
            return;
        }
        PluginClassLoader loader = new PluginClassLoader(source, urls(classesDir ? List.of(entry) : jars), host);
        int before = collector.componentCount();
        load(ServiceLoader.load(BenchPlugin.class, loader), source, loader, collector);
        if (collector.componentCount() == before) {
            close(loader);
        }
    }

    private boolean isTrusted(Path jar, String source, ComponentCollector collector) {
        TrustedPlugins t = trusted.orElseThrow();
        try {
            String sha = TrustedPlugins.sha256(jar);
            if (t.trusts(sha)) {
                return true;
            }
            collector.problem(jar + ": SHA-256 " + sha + " is not in the trusted list " + t.file()
                    + "; add the line '" + sha + "  " + jar.getFileName() + "' to trust it — plugin " + source
                    + " not loaded");
        } catch (IOException e) {
            collector.problem(jar + ": cannot read it to check its SHA-256 (" + e.getMessage() + ")");
        }
        return false;
    }

    /**
     * Instantiates every provider of {@code services}; each failure (class missing, failing static
     * initialiser, throwing constructor, wrong SPI major) is one problem line, and iteration goes on:
     * {@link ServiceLoader}'s iterator continues with the next provider after an error.
     */
    private static void load(ServiceLoader<BenchPlugin> services, String source, ClassLoader loader,
            ComponentCollector collector) {
        Iterator<BenchPlugin> it = services.iterator();
        while (true) {
            BenchPlugin plugin;
            try {
                plugin = withLoader(loader, () -> it.hasNext() ? it.next() : null);
            } catch (ServiceConfigurationError e) {
                collector.problem(source + ": " + describeProviderFailure(e) + "; fix the plugin or remove it");
                continue;
            } catch (LinkageError e) {
                collector.problem(source + ": plugin failed to load: " + describe(e) + "; fix the plugin or remove it");
                continue;
            }
            if (plugin == null) {
                return;
            }
            int spi;
            try {
                spi = withLoader(loader, plugin::spiVersion);
            } catch (RuntimeException | LinkageError e) {
                collector.problem(source + ": " + plugin.getClass().getName() + ".spiVersion() threw "
                        + describe(e) + "; fix the plugin or remove it");
                continue;
            }
            if (spi != SpiVersion.MAJOR) {
                collector.problem(source + ": plugin " + plugin.getClass().getName() + " was built against SPI "
                        + spi + ", but this bfabench provides SPI " + SpiVersion.MAJOR + " (" + SpiVersion.string()
                        + "); rebuild the plugin against bfabench-spi " + SpiVersion.MAJOR + ".x — not loaded");
                continue;
            }
            collector.addPlugin(plugin, spi, source, loader);
        }
    }

    private static String describeProviderFailure(ServiceConfigurationError e) {
        Throwable cause = e.getCause();
        String msg = e.getMessage() == null ? "" : e.getMessage()
                .replaceFirst("^" + BenchPlugin.class.getName() + ": ", "").replaceFirst("^Provider ", "plugin ");
        if (cause instanceof ExceptionInInitializerError init) {
            Throwable root = init.getCause() == null ? init : init.getCause();
            return msg.replace("could not be instantiated", "failed to initialise") + ": its static initialiser threw "
                    + describe(root);
        }
        if (cause != null) {
            return msg.replace("could not be instantiated", "could not be created") + ": " + describe(cause);
        }
        return msg;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m.strip().lines().findFirst().orElse("") + ")");
    }

    /** Runs {@code body} with {@code loader} as the thread context class loader. */
    static <R> R withLoader(ClassLoader loader, Supplier<R> body) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<URL> urls(List<Path> classPath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classPath) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path is always a URL: " + p, e);
            }
        }
        return urls;
    }

    private static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("closing the class loader of a refused plugin failed", e);
        }
    }
}
