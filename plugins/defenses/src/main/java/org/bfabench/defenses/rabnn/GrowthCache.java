package org.bfabench.defenses.rabnn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage-1 results of Early-Growth cached under their own content hash, so grids that vary only the
 * attacks or the stage-2 training seed do not grow again. Format (JSON, one file per key):
 * {@code {"format":"bfabench-ra-bnn-growth","version":1,"key":…,"widths":{group:int},
 * "base_widths":{group:int},"densities":{group:double},"search_epochs":int}} next to
 * {@code <key>.csv}, the density curve. A file that does not parse or carries another key is ignored and
 * recomputed — a cache must never turn into an error.
 */
final class GrowthCache {
    private static final Logger LOG = LoggerFactory.getLogger(GrowthCache.class);
    private static final String FORMAT = "bfabench-ra-bnn-growth";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is kept of a search. */
    record Entry(Map<String, Integer> widths, Map<String, Integer> baseWidths, Map<String, Double> densities,
            int searchEpochs, Path curveCsv) {
    }

    private final Path dir;

    GrowthCache(Path dir) {
        this.dir = dir;
    }

    static String key(String canonicalConfig) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(canonicalConfig.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Entry> find(String key) {
        deleteStaleTemps();
        Path json = dir.resolve(key + ".json");
        Path csv = dir.resolve(key + ".csv");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(csv)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(json.toFile());
            if (!FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != 1
                    || !key.equals(n.path("key").asText())) {
                LOG.warn("ignoring growth cache file {}: not a version-1 entry for this key", json);
                return Optional.empty();
            }
            return Optional.of(new Entry(ints(n.path("widths")), ints(n.path("base_widths")),
                    doubles(n.path("densities")), n.path("search_epochs").asInt(), csv));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable growth cache file {}: {}", json, e.toString());
            return Optional.empty();
        }
    }

    /** A run killed mid-write leaves a temp file; it was never renamed into place, so it is never read. */
    private void deleteStaleTemps() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean temporary files in {}: {}", dir, e.toString());
        }
    }

    Entry store(String key, EarlyGrowth.Result r) {
        try {
            Files.createDirectories(dir);
            Path csv = dir.resolve(key + ".csv");
            Path tmpCsv = Files.createTempFile(dir, key, ".csv.tmp");
            r.curve().writeCsv(tmpCsv);
            move(tmpCsv, csv);
            ObjectNode n = JSON.createObjectNode();
            n.put("format", FORMAT).put("version", 1).put("key", key);
            ObjectNode w = n.putObject("widths");
            r.widths().forEach(w::put);
            ObjectNode b = n.putObject("base_widths");
            r.baseWidths().forEach(b::put);
            ObjectNode d = n.putObject("densities");
            r.densities().forEach(d::put);
            n.put("search_epochs", r.curve().epochs() - 1);
            Path tmp = Files.createTempFile(dir, key, ".json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), n);
            move(tmp, dir.resolve(key + ".json"));
            return new Entry(r.widths(), r.baseWidths(), r.densities(), r.curve().epochs() - 1, csv);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the ra-bnn growth cache in " + dir, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, Integer> ints(JsonNode n) {
        Map<String, Integer> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asInt()));
        if (m.isEmpty()) {
            throw new IllegalArgumentException("empty width map");
        }
        return m;
    }

    private static Map<String, Double> doubles(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }
}
