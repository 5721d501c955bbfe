package org.bfabench.harness.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.spi.Attack;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
    @TempDir
    Path tmp;
    Path pluginsDir;
    /** Stands for the application class path: the test class path plus a "built-in" fixture plugin. */
    URLClassLoader host;

    @BeforeEach
    void builtIn() throws IOException {
        pluginsDir = Files.createDirectories(tmp.resolve("plugins-ext"));
        Path builtIn = PluginJars.jar(tmp, "builtin/builtin.jar",
                PluginJars.attackPlugin("test.builtin", SpiVersion.MAJOR, "", "builtin-flipper"), "test.builtin.Plugin");
        host = new URLClassLoader(new java.net.URL[] {builtIn.toUri().toURL()}, getClass().getClassLoader());
    }

    @AfterEach
    void close() throws IOException {
        host.close();
    }

    private PluginRegistry discover() {
        return new PluginDiscovery(host, Optional.of(pluginsDir), Optional.empty()).discover();
    }

    private Path thirdParty(String jar, String pkg, int spi, String body, String... ids) throws IOException {
        return PluginJars.jar(pluginsDir, jar, PluginJars.attackPlugin(pkg, spi, body, ids), pkg + ".Plugin");
    }

    private static String problemAbout(PluginRegistry r, String needle) {
        List<String> hits = r.problems().stream().filter(p -> p.contains(needle)).toList();
        assertEquals(1, hits.size(), "expected exactly one problem mentioning " + needle + " in " + r.problems());
        assertFalse(hits.get(0).contains("\n"), "a problem is one line");
        return hits.get(0);
    }

    @Test
    void thirdPartyJarComponentsAreRegisteredWithTheirJarAsSourceAndReported() throws IOException {
        Path jar = thirdParty("good.jar", "test.good", SpiVersion.MAJOR, "", "good-flipper", "other-flipper");
        PluginRegistry r = discover();
        assertEquals(List.of(), r.problems());
        LoadedComponent<Attack> a = r.attacks().get("good-flipper");
        assertEquals(jar.toString(), a.source());
        assertTrue(a.loader() instanceof PluginClassLoader);
        assertSame(a.loader(), r.attacks().get("other-flipper").loader(), "one loader per jar");
        PluginReportRow row = r.report().stream().filter(x -> x.id().equals("good-flipper")).findFirst().orElseThrow();
        assertEquals(new PluginReportRow("good-flipper", "attack", "1.0.0", jar.toString(), SpiVersion.MAJOR,
                "sequential sign-bit flips (context loader set)"), row);
        assertEquals("built-in", r.attacks().get("builtin-flipper").source());
    }

    @Test
    void mapsIterateInIdOrder() throws IOException {
        thirdParty("z.jar", "test.z", SpiVersion.MAJOR, "", "zz-last", "aa-first");
        List<String> ids = List.copyOf(discover().attacks().keySet());
        assertEquals(ids.stream().sorted().toList(), ids);
    }

    @Test
    void aPluginCompiledAgainstAnotherSpiMajorIsRefusedNamingTheJarAndBothVersions() throws IOException {
        Path jar = thirdParty("future.jar", "test.future", 99, "", "future-flipper");
        PluginRegistry r = discover();
        String p = problemAbout(r, "future.jar");
        assertTrue(p.contains("SPI 99") && p.contains("SPI " + SpiVersion.MAJOR) && p.contains(jar.toString()), p);
        assertFalse(r.attacks().containsKey("future-flipper"));
        assertTrue(r.attacks().containsKey("builtin-flipper"), "built-ins still load");
    }

    @Test
    void aJarWithoutAServiceEntryIsReportedAsDeclaringNoPlugin() throws IOException {
        PluginJars.jar(pluginsDir, "plain.jar", PluginJars.attackPlugin("test.plain", SpiVersion.MAJOR, "", "plain-flipper"), null);
        PluginRegistry r = discover();
        assertTrue(problemAbout(r, "plain.jar").contains("META-INF/services/org.bfabench.spi.BenchPlugin"));
        assertTrue(r.attacks().containsKey("builtin-flipper"));
    }

    @Test
    void aFileNamedJarThatIsNoZipIsReportedAsNotAJar() throws IOException {
        Files.writeString(pluginsDir.resolve("notes.jar"), "this is not a zip file");
        Files.writeString(pluginsDir.resolve("README.txt"), "ignored: not a jar");
        PluginRegistry r = discover();
        assertTrue(problemAbout(r, "notes.jar").contains("not a readable jar"));
        assertEquals(1, r.problems().size(), r.problems().toString());
    }

    @Test
    void aPluginWhoseStaticInitialiserThrowsIsReportedWithTheCause() throws IOException {
        thirdParty("static.jar", "test.stat", SpiVersion.MAJOR,
                "static final int N = Integer.parseInt(\"no GPU here\");", "static-flipper");
        String p = problemAbout(discover(), "static.jar");
        assertTrue(p.contains("test.stat.Plugin") && p.contains("failed to initialise") && p.contains("no GPU here"), p);
    }

    @Test
    void aPluginWhoseConstructorThrowsIsReportedWithTheCause() throws IOException {
        thirdParty("ctor.jar", "test.ctor", SpiVersion.MAJOR,
                "public Plugin() { throw new IllegalStateException(\"config file missing\"); }", "ctor-flipper");
        PluginRegistry r = discover();
        String p = problemAbout(r, "ctor.jar");
        assertTrue(p.contains("test.ctor.Plugin") && p.contains("IllegalStateException") && p.contains("config file missing"), p);
        assertTrue(r.attacks().containsKey("builtin-flipper"));
    }

    @Test
    void aServiceEntryNamingAMissingClassIsReported() throws IOException {
        PluginJars.jar(pluginsDir, "typo.jar", PluginJars.attackPlugin("test.typo", SpiVersion.MAJOR, "", "typo-flipper"),
                "test.typo.Plugn");
        assertTrue(problemAbout(discover(), "typo.jar").contains("test.typo.Plugn"));
    }

    @Test
    void aDuplicateIdAcrossPluginsIsRefusedNamingBothSourcesAndTheFirstOneWins() throws IOException {
        Path first = thirdParty("a.jar", "test.a", SpiVersion.MAJOR, "", "twin-flipper");
        thirdParty("b.jar", "test.b", SpiVersion.MAJOR, "", "twin-flipper", "b-only");
        PluginRegistry r = discover();
        String p = problemAbout(r, "'twin-flipper'");
        assertTrue(p.contains("a.jar") && p.contains("b.jar"), p);
        assertEquals(first.toString(), r.attacks().get("twin-flipper").source());
        assertTrue(r.attacks().containsKey("b-only"), "the plugin's other components still load");
        assertEquals(1, r.report().stream().filter(x -> x.id().equals("twin-flipper")).count());
    }

    @Test
    void aThirdPartyIdClashingWithABuiltInIsRefused() throws IOException {
        thirdParty("clash.jar", "test.clash", SpiVersion.MAJOR, "", "builtin-flipper");
        PluginRegistry r = discover();
        assertTrue(problemAbout(r, "clash.jar").contains("built-in"));
        assertEquals("built-in", r.attacks().get("builtin-flipper").source());
    }

    @Test
    void anInvalidIdIsRefused() throws IOException {
        thirdParty("ids.jar", "test.ids", SpiVersion.MAJOR, "", "Bad_Id", "fine-id");
        PluginRegistry r = discover();
        assertTrue(problemAbout(r, "'Bad_Id'").contains("invalid"));
        assertTrue(r.attacks().containsKey("fine-id"));
    }

    @Test
    void aPluginSeesTheHostsSpiButNeitherGuiceNorTheHarness() throws Exception {
        thirdParty("iso.jar", "test.iso", SpiVersion.MAJOR, "", "iso-flipper");
        ClassLoader loader = discover().attacks().get("iso-flipper").loader();
        assertSame(Attack.class, loader.loadClass("org.bfabench.spi.Attack"));
        assertSame(org.slf4j.Logger.class, loader.loadClass("org.slf4j.Logger"), "plugins log through the host's SLF4J");
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.google.inject.Injector"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass(PluginRegistry.class.getName()));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("picocli.CommandLine"));
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertTrue(loader.getResource("META-INF/services/org.bfabench.spi.BenchPlugin").toString().contains("iso.jar"),
                "the host's service files are invisible to the plugin");
    }

    @Test
    void aPluginsOwnCopyOfAHostLibraryWinsOverTheHostsChildFirst() throws Exception {
        Map<String, String> sources = new java.util.HashMap<>(
                PluginJars.attackPlugin("test.own", SpiVersion.MAJOR, "", "own-flipper"));
        sources.put("picocli.CommandLine", "package picocli; public class CommandLine { public static String who() { return \"plugin\"; } }");
        PluginJars.jar(pluginsDir, "own.jar", sources, "test.own.Plugin");
        ClassLoader loader = discover().attacks().get("own-flipper").loader();
        Class<?> own = loader.loadClass("picocli.CommandLine");
        assertNotSame(picocli.CommandLine.class, own);
        assertEquals("plugin", own.getMethod("who").invoke(null));
    }

    @Test
    void aDirectoryOfJarsIsOnePluginWithOneLoader() throws IOException {
        Path dir = Files.createDirectories(pluginsDir.resolve("bundle"));
        PluginJars.jar(dir, "main.jar", PluginJars.attackPlugin("test.dir", SpiVersion.MAJOR, "", "dir-flipper"), "test.dir.Plugin");
        PluginRegistry r = discover();
        assertEquals(List.of(), r.problems());
        assertEquals(dir.toString(), r.attacks().get("dir-flipper").source());
    }

    @Test
    void withATrustListAnUnlistedJarIsRefusedBeforeAnyOfItsClassesLoad() throws IOException {
        Path good = thirdParty("trusted.jar", "test.trusted", SpiVersion.MAJOR, "", "trusted-flipper");
        // would add a "failed to initialise" problem if any of its classes were initialised
        thirdParty("stranger.jar", "test.stranger", SpiVersion.MAJOR,
                "static final int N = Integer.parseInt(\"loaded!\");", "stranger-flipper");
        Path list = tmp.resolve("trusted.sha256");
        Files.writeString(list, "# reviewed\n" + TrustedPlugins.sha256(good) + "  trusted.jar\n");
        PluginRegistry r = new PluginDiscovery(host, Optional.of(pluginsDir), Optional.of(TrustedPlugins.read(list))).discover();
        assertTrue(r.attacks().containsKey("trusted-flipper"));
        String p = problemAbout(r, "stranger.jar");
        assertTrue(p.contains("not in the trusted list"), p);
        assertEquals(1, r.problems().size(), r.problems().toString());
    }

    @Test
    void callRunsTheBodyWithThePluginsLoaderAsContextLoaderAndRestoresIt() throws IOException {
        thirdParty("ctx.jar", "test.ctx", SpiVersion.MAJOR, "", "ctx-flipper");
        LoadedComponent<Attack> a = discover().attacks().get("ctx-flipper");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertEquals("sequential sign-bit flips (context loader set)", a.call(() -> a.component().description()));
        assertSame(before, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void aMissingPluginsDirectoryMeansOnlyBuiltIns() {
        PluginRegistry r = new PluginDiscovery(host, Optional.of(tmp.resolve("absent")), Optional.empty()).discover();
        assertEquals(List.of(), r.problems());
        assertTrue(r.attacks().containsKey("builtin-flipper"));
    }
}
