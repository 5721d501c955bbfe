package org.bfabench.harness.weights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.spi.BenchException;

/**
 * One model stored by {@code bfabench import}: {@code <cache>/imported/<name>.npz} (the defense's own
 * model file) and {@code <name>.json}, this record, saying what it is. The JSON is the registry a grid's
 * {@code imported:<name>} entry and {@code bfabench attack --model-file <name>} resolve names through.
 *
 * @param name           the import's name, {@code [A-Za-z0-9][A-Za-z0-9._-]*}
 * @param contentSha256  SHA-256 of what determines the stored model: architecture, options, defense and
 *                       version, and every imported array (codes and steps included)
 * @param model          architecture id
 * @param modelOptions   architecture options
 * @param defense        defense id
 * @param defenseVersion the defense's version when the weights were imported
 * @param dataset        dataset id the model was imported for
 * @param datasetSha256  content hash of that dataset's files at import time
 * @param weights        the .npz the weights came from (absolute path, for the record only)
 * @param mapping        the mapping used (bfabench name → npz key)
 * @param codes          parameters imported as integer codes plus a step rather than quantized floats
 * @param cleanAccuracy  top-1 accuracy on the first {@code testImages} test images, measured at import
 * @param testImages     how many test images that was
 */
public record ImportedModel(String name, String contentSha256, String model, Map<String, Object> modelOptions,
        String defense, String defenseVersion, String dataset, String datasetSha256, String weights,
        Map<String, String> mapping, List<String> codes, double cleanAccuracy, int testImages) {

    /** What an import name may be: it becomes a file name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public ImportedModel {
        modelOptions = modelOptions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modelOptions));
        mapping = mapping == null ? Map.of() : Map.copyOf(mapping);
        codes = codes == null ? List.of() : List.copyOf(codes);
    }

    /** {@code <cacheDir>/imported}: where imports live. */
    public static Path directory(Path cacheDir) {
        return cacheDir.resolve("imported");
    }

    /** The stored model file of import {@code name}. */
    public static Path modelFile(Path cacheDir, String name) {
        return directory(cacheDir).resolve(name + ".npz");
    }

    public Path modelFile(Path cacheDir) {
        return modelFile(cacheDir, name);
    }

    /** Names of every complete import (both files present), sorted. */
    public static List<String> names(Path cacheDir) {
        Path dir = directory(cacheDir);
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString().replaceFirst("\\.json$", "");
                if (NAME.matcher(n).matches() && Files.isRegularFile(modelFile(cacheDir, n))) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new BenchException(dir + ": cannot list imported models (" + e.getMessage() + "); check the directory");
        }
        names.sort(null);
        return names;
    }

    /** The import called {@code name}; an unknown name is one line listing the known ones. */
    public static ImportedModel read(Path cacheDir, String name) {
        Path json = directory(cacheDir).resolve(name + ".json");
        if (!NAME.matcher(name).matches() || !Files.isRegularFile(json) || !Files.isRegularFile(modelFile(cacheDir, name))) {
            List<String> known = names(cacheDir);
            throw new BenchException("no imported model '" + name + "' in " + directory(cacheDir) + " (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + "); store it with 'bfabench import ... --name "
                    + name + "' under the same --out");
        }
        return readRecord(json, name);
    }

    /** The import record beside a stored model file {@code <dir>/<name>.npz}, if there is one. */
    public static java.util.Optional<ImportedModel> besideModelFile(Path npz) {
        String name = npz.getFileName().toString().replaceFirst("\\.npz$", "");
        Path json = npz.resolveSibling(name + ".json");
        return Files.isRegularFile(npz) && Files.isRegularFile(json) ? java.util.Optional.of(readRecord(json, name))
                : java.util.Optional.empty();
    }

    private static ImportedModel readRecord(Path json, String name) {
        try {
            JsonNode n = Json.mapper().readTree(json.toFile());
            Map<String, Object> options = Json.mapper().convertValue(n.path("model_options"), new TypeReference<>() { });
            Map<String, String> mapping = Json.mapper().convertValue(n.path("mapping"), new TypeReference<>() { });
            List<String> codes = n.has("codes") ? Json.mapper().convertValue(n.path("codes"), new TypeReference<>() { })
                    : List.of();
            String sha = text(n, "content_sha256", json);
            return new ImportedModel(name, sha, text(n, "model", json), options, text(n, "defense", json),
                    text(n, "defense_version", json), text(n, "dataset", json), n.path("dataset_sha256").asText(""),
                    n.path("weights").asText(""), mapping, codes, n.path("clean_accuracy").asDouble(),
                    n.path("test_images").asInt());
        } catch (IOException | IllegalArgumentException e) {
            throw new BenchException(json + ": not a readable import record (" + e.getMessage().lines().findFirst().orElse("")
                    + "); import the model again");
        }
    }

    private static String text(JsonNode n, String field, Path json) {
        String v = n.path(field).asText("");
        if (v.isEmpty()) {
            throw new BenchException(json + ": the import record has no '" + field + "'; import the model again");
        }
        return v;
    }

    /** Writes {@code <name>.json} (atomically; the model file is written before it). */
    public void write(Path cacheDir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("content_sha256", contentSha256);
        m.put("model", model);
        m.put("model_options", modelOptions);
        m.put("defense", defense);
        m.put("defense_version", defenseVersion);
        m.put("dataset", dataset);
        m.put("dataset_sha256", datasetSha256);
        m.put("weights", weights);
        m.put("mapping", mapping);
        m.put("codes", codes);
        m.put("clean_accuracy", cleanAccuracy);
        m.put("test_images", testImages);
        AtomicFiles.write(directory(cacheDir).resolve(name + ".json"),
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    }
}
