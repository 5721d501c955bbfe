package org.bfabench.defenses.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BenchException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk model format of this module, an {@code .npz}-compatible zip:
 * <ul>
 *   <li>{@code manifest.json}: {@code format} = {@code bfabench-model}, {@code format_version} = 1,
 *       {@code defense} and {@code defense_version}, {@code facts} (the model's leaderboard facts, so a
 *       reloaded model reports what the trained one did), {@code layers} (name, kind, bits, weights of every
 *       attackable layer in order) and {@code arrays}: for every array its SHA-256 over the .npy bytes;</li>
 *   <li>one float32 1-D {@code <name>.npy} per array of {@link NetworkState} (stored codes as exact
 *       integers, scales, biases, batch-norm parameters and running statistics), written by ND4J's
 *       {@code Nd4j.toNpyByteArray}.</li>
 * </ul>
 * Reading verifies the manifest, the defense id and every hash before any array is parsed; any mismatch
 * is a {@link BenchException}.
 */
public final class ModelFile {
    public static final String FORMAT = "bfabench-model";
    public static final int FORMAT_VERSION = 1;
    private static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a file holds. */
    public record Contents(String defense, String defenseVersion, Map<String, String> facts, Map<String, float[]> arrays) {
    }

    private ModelFile() {
    }

    public static void write(Path file, String defense, String defenseVersion, List<AttackableLayer> layers,
            Map<String, String> facts, Map<String, float[]> arrays) {
        Map<String, byte[]> npy = new LinkedHashMap<>();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("format_version", FORMAT_VERSION);
        manifest.put("defense", defense);
        manifest.put("defense_version", defenseVersion);
        ObjectNode fs = manifest.putObject("facts");
        new java.util.TreeMap<>(facts).forEach(fs::put);
        ArrayNode ls = manifest.putArray("layers");
        for (AttackableLayer l : layers) {
            ls.addObject().put("name", l.name()).put("bits", l.bits()).put("weights", l.weightCount());
        }
        ObjectNode hashes = manifest.putObject("arrays");
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            byte[] bytes;
            try (INDArray a = Nd4j.create(e.getValue(), new long[] {e.getValue().length}, DataType.FLOAT)) {
                bytes = Nd4j.toNpyByteArray(a);
            }
            npy.put(e.getKey() + ".npy", bytes);
            hashes.put(e.getKey(), sha256(bytes));
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
                for (Map.Entry<String, byte[]> e : npy.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new BenchException(file + ": cannot write the model (" + ex.getMessage() + "); check the directory is writable", ex);
        }
    }

    public static Contents read(Path file, String expectedDefense) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                zip.transferTo(bos);
                entries.put(e.getName(), bos.toByteArray());
            }
        } catch (IOException | IllegalArgumentException ex) {
            throw corrupt(file, "it is not a readable zip (" + ex.getMessage() + ")");
        }
        byte[] m = entries.get(MANIFEST);
        if (m == null) {
            throw corrupt(file, "it has no " + MANIFEST + " (truncated, or not a bfabench model)");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(m);
        } catch (IOException ex) {
            throw corrupt(file, "its manifest is not valid JSON");
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw corrupt(file, "it is not a " + FORMAT + " file");
        }
        if (manifest.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw corrupt(file, "format version " + manifest.path("format_version") + " is not " + FORMAT_VERSION);
        }
        String defense = manifest.path("defense").asText();
        if (!defense.equals(expectedDefense)) {
            throw new BenchException(file + ": the model was written by defense '" + defense + "', not '" + expectedDefense
                    + "'; load it with the defense that trained it");
        }
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = manifest.path("arrays").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            byte[] bytes = entries.get(h.getKey() + ".npy");
            if (bytes == null) {
                throw corrupt(file, "array " + h.getKey() + " is missing (truncated file)");
            }
            if (!sha256(bytes).equals(h.getValue().asText())) {
                throw corrupt(file, "array " + h.getKey() + " fails its SHA-256 check (the file was modified)");
            }
            try (INDArray a = Nd4j.createNpyFromByteArray(bytes)) {
                if (a.dataType() != DataType.FLOAT || a.rank() != 1) {
                    throw corrupt(file, "array " + h.getKey() + " is not a 1-D float32 array");
                }
                arrays.put(h.getKey(), a.toFloatVector());
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        manifest.path("facts").fields().forEachRemaining(f -> facts.put(f.getKey(), f.getValue().asText()));
        return new Contents(defense, manifest.path("defense_version").asText(), facts, arrays);
    }

    private static BenchException corrupt(Path file, String why) {
        return new BenchException(file + ": cannot load the model: " + why + "; delete it and retrain");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
