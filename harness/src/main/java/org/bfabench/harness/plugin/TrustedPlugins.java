package org.bfabench.harness.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.bfabench.spi.BenchException;

/**
 * The SHA-256 digests of the third-party jars the user trusts ({@code --trusted-plugins FILE}).
 *
 * <p>A plugin runs with the user's rights, so a shared plugins directory is a code-execution vector:
 * with a trust list, a jar whose digest is not listed is refused before a single class of it is
 * loaded. The file uses {@code sha256sum}'s output format — one {@code <64 hex digits>  <name>} per
 * line, {@code #} comments and blank lines ignored — so {@code sha256sum plugins-ext/*.jar > trusted}
 * creates it. Only the digest matters; the name is for humans.
 *
 * @param file    where the list was read from (for messages)
 * @param digests lower-case hex digests
 */
public record TrustedPlugins(Path file, Set<String> digests) {
    public TrustedPlugins {
        digests = Set.copyOf(digests);
    }

    /** Reads a trust list; a missing file or a malformed line is a {@link BenchException}. */
    public static TrustedPlugins read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BenchException("--trusted-plugins " + file + ": cannot read it (" + e.getMessage()
                    + "); create it with 'sha256sum plugins-ext/*.jar > " + file + "'", e);
        }
        int n = 0;
        Set<String> digests = new java.util.HashSet<>();
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String digest = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (!digest.matches("[0-9a-f]{64}")) {
                throw new BenchException("--trusted-plugins " + file + " line " + n + ": expected a SHA-256 digest "
                        + "(64 hex digits) followed by a file name, got '" + line + "'");
            }
            digests.add(digest);
        }
        return new TrustedPlugins(file, digests);
    }

    public boolean trusts(String sha256) {
        return digests.contains(sha256);
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return file + digests.stream().sorted().collect(Collectors.joining(",", "[", "]"));
    }
}
