package org.bfabench.harness.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.bfabench.spi.BenchPlugin;

/**
 * Builds third-party plugin jars at test time: compiles Java sources against the bfabench-spi
 * artifact only (as an outside author would) and packs the classes, plus an optional service entry.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /** Where the SPI classes come from (bfabench-spi jar or its classes directory). */
    public static Path spiLocation() {
        try {
            return Path.of(BenchPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param sources      fully-qualified class name → source text
     * @param serviceEntry the BenchPlugin class to list in META-INF/services, or null for none
     */
    public static Path jar(Path workDir, String jarName, Map<String, String> sources, String serviceEntry) throws IOException {
        Path scratch = Files.createTempDirectory("bfabench-plugin-build");
        Path src = Files.createDirectories(scratch.resolve("src"));
        Path classes = Files.createDirectories(scratch.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn",
                "-classpath", spiLocation().toString(), "-d", classes.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin does not compile:\n" + err.toString(StandardCharsets.UTF_8));
        }
        Path jar = workDir.resolve(jarName);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
            if (serviceEntry != null) {
                jos.putNextEntry(new JarEntry(PluginDiscovery.SERVICE_FILE));
                jos.write((serviceEntry + "\n").getBytes(StandardCharsets.UTF_8));
                jos.closeEntry();
            }
        }
        try (Stream<Path> all = Files.walk(scratch)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        return jar;
    }

    /**
     * Sources of a plugin {@code pkg.Plugin} providing one attack per id (a sequential sign-bit
     * flipper) and reporting {@code spiVersion}; {@code pluginBody} is pasted into the plugin class
     * (a static initialiser or a constructor, to make it fail).
     */
    public static Map<String, String> attackPlugin(String pkg, int spiVersion, String pluginBody, String... ids) {
        StringBuilder list = new StringBuilder();
        for (String id : ids) {
            list.append(list.length() == 0 ? "" : ", ").append("new SignFlipper(\"").append(id).append("\")");
        }
        String plugin = """
                package PKG;
                import java.util.List;
                import org.bfabench.spi.*;
                public final class Plugin implements BenchPlugin {
                    BODY
                    @Override public int spiVersion() { return SPI; }
                    @Override public List<Attack> attacks() { return List.of(LIST); }
                }
                """.replace("PKG", pkg).replace("BODY", pluginBody).replace("SPI", Integer.toString(spiVersion))
                .replace("LIST", list);
        String attack = """
                package PKG;
                import java.util.ArrayList;
                import java.util.List;
                import org.bfabench.spi.*;
                /** Flips the most significant bit of every weight in order until the threshold or the budget. */
                public final class SignFlipper implements Attack {
                    private final String id;
                    public SignFlipper(String id) { this.id = id; }
                    @Override public String id() { return id; }
                    @Override public String version() { return "1.0.0"; }
                    @Override public String description() {
                        boolean own = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
                        return "sequential sign-bit flips (context loader " + (own ? "set" : "NOT set") + ")";
                    }
                    @Override public boolean needsGradients() { return false; }
                    @Override public AttackTrace run(AttackContext ctx) {
                        long t0 = System.nanoTime();
                        AttackSurface s = ctx.surface();
                        try (BatchEvaluator ev = s.evaluator(ctx.evaluation())) {
                            double clean = ev.accuracy();
                            double acc = clean;
                            List<FlipEvent> events = new ArrayList<>();
                            int layer = 0;
                            int index = 0;
                            while (events.size() < ctx.flipBudget() && acc > ctx.stopAccuracy() && layer < s.layers().size()) {
                                AttackableLayer l = s.layers().get(layer);
                                if (index >= l.weightCount()) { layer++; index = 0; continue; }
                                int bit = l.bits() - 1;
                                int before = s.code(layer, index);
                                s.flip(new BitFlip(layer, index, bit));
                                acc = ev.accuracy();
                                events.add(new FlipEvent(events.size() + 1, layer, l.name(), index, bit, before,
                                        s.code(layer, index), ev.loss(), acc));
                                index++;
                            }
                            StopReason r = acc <= ctx.stopAccuracy() ? StopReason.THRESHOLD_REACHED
                                    : events.size() >= ctx.flipBudget() ? StopReason.BUDGET_EXHAUSTED : StopReason.NO_ELIGIBLE_FLIP;
                            return new AttackTrace(clean, events, r, "", acc, System.nanoTime() - t0);
                        }
                    }
                }
                """.replace("PKG", pkg);
        return Map.of(pkg + ".Plugin", plugin, pkg + ".SignFlipper", attack);
    }
}
