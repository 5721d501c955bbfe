package org.bfabench.harness.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.bfabench.harness.store.Provenance;
import org.bfabench.spi.SpiVersion;

/**
 * Which code produced a result: the harness version (from the jar's Maven metadata) and the git commit
 * of the working directory.
 */
public record BuildInfo(String version, String gitCommit) {

    /** Looks both up once (git in the working directory); {@code unknown} where they cannot be found. */
    public static BuildInfo detect() {
        return new BuildInfo(detectVersion(), gitCommit(Path.of("").toAbsolutePath()));
    }

    public Provenance provenance() {
        return new Provenance(version, gitCommit, SpiVersion.string());
    }

    private static String detectVersion() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(
                "/META-INF/maven/org.bfabench/bfabench-harness/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through
        }
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * {@code git rev-parse HEAD} in {@code dir}, with {@code -dirty} when tracked files differ from it
     * (untracked files do not count), or {@code unknown} outside a work tree or without git.
     */
    static String gitCommit(Path dir) {
        String head = git(dir, "rev-parse", "HEAD");
        if (head == null || !head.matches("[0-9a-f]{40}")) {
            return "unknown";
        }
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
