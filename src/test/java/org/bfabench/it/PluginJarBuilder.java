package org.bfabench.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.bfabench.spi.BenchPlugin;

/** Compiles plugin sources against the bfabench-spi artifact alone and packs them as a jar. */
final class PluginJarBuilder {
    static final String SERVICE_FILE = "META-INF/services/org.bfabench.spi.BenchPlugin";

    private PluginJarBuilder() {
    }

    /** The example third-party plugin's sources (src/test/thirdparty/java). */
    static Path thirdPartySources() {
        return Path.of(System.getProperty("bfabench.thirdparty.src", "thirdparty/java"));
    }

    static Path spiJar() {
        try {
            return Path.of(BenchPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles every .java under {@code sourceRoot} plus {@code extraSources} (class name → text). */
    static Path build(Path jar, Path sourceRoot, Map<String, String> extraSources, String serviceEntry) throws IOException {
        Path scratch = Files.createTempDirectory("bfabench-it-plugin");
        try {
            Path classes = Files.createDirectories(scratch.resolve("classes"));
            List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn",
                    "-classpath", spiJar().toString(), "-d", classes.toString()));
            if (sourceRoot != null) {
                try (Stream<Path> s = Files.walk(sourceRoot)) {
                    s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> args.add(p.toString()));
                }
            }
            for (Map.Entry<String, String> e : extraSources.entrySet()) {
                Path f = scratch.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                args.add(f.toString());
            }
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            if (ToolProvider.getSystemJavaCompiler().run(null, null, diagnostics, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("plugin does not compile against bfabench-spi alone:\n"
                        + diagnostics.toString(StandardCharsets.UTF_8));
            }
            Files.createDirectories(jar.getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(f));
                    jos.closeEntry();
                }
                if (serviceEntry != null) {
                    jos.putNextEntry(new JarEntry(SERVICE_FILE));
                    jos.write((serviceEntry + "\n").getBytes(StandardCharsets.UTF_8));
                    jos.closeEntry();
                }
            }
            return jar;
        } finally {
            try (Stream<Path> all = Files.walk(scratch)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A plugin with no components whose spiVersion() returns {@code spi}. */
    static Map<String, String> emptyPlugin(String pkg, int spi) {
        return Map.of(pkg + ".Plugin", """
                package PKG;
                public final class Plugin implements org.bfabench.spi.BenchPlugin {
                    @Override public int spiVersion() { return SPI; }
                }
                """.replace("PKG", pkg).replace("SPI", Integer.toString(spi)));
    }
}
