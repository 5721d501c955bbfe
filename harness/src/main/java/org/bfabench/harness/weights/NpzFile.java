package org.bfabench.harness.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.WeightArray;

/**
 * Reads a NumPy {@code .npz} archive as written by {@code numpy.savez} or {@code numpy.savez_compressed}:
 * a zip whose entries {@code <key>.npy} are arrays ({@link NpyParser}). Keys are the entry names without
 * {@code .npy}; entries that are not {@code .npy} are ignored. Every problem is one {@link BenchException}
 * line naming the file (and key).
 */
public final class NpzFile {
    private NpzFile() {
    }

    /**
     * @param arrays      arrays by key, in key order
     * @param integerKeys keys of the arrays stored with an integer dtype (e.g. quantized codes)
     */
    public record Contents(Map<String, WeightArray> arrays, java.util.Set<String> integerKeys) {
    }

    /** Arrays by key, in key order. */
    public static Map<String, WeightArray> read(Path file) {
        return readContents(file).arrays();
    }

    /** Arrays by key and which of them were stored as integers. */
    public static Contents readContents(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BenchException(file + ": no such file; give the path of a .npz written by numpy.savez");
        }
        Map<String, WeightArray> arrays = new TreeMap<>();
        java.util.Set<String> integers = new java.util.TreeSet<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                String key = e.getName().substring(0, e.getName().length() - ".npy".length());
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                } catch (IOException | RuntimeException ex) {
                    throw new BenchException(file + ": array '" + key + "' cannot be read (" + ex.getMessage()
                            + "); the file is corrupt — export it again");
                }
                try {
                    NpyParser.Npy npy = NpyParser.parseNpy(bytes);
                    arrays.put(key, npy.array());
                    if (npy.integral()) {
                        integers.add(key);
                    }
                } catch (NpyParser.Problem p) {
                    throw new BenchException(file + ": array '" + key + "': " + p.getMessage()
                            + (p.unsupportedDtype ? "; convert it, e.g. v.float().cpu().numpy()" : "; the file is corrupt — export it again"));
                }
            }
        } catch (ZipException | NoSuchFileException e) {
            throw new BenchException(file + ": not a .npz (zip) file (" + e.getMessage()
                    + "); write it with numpy.savez(path, **state_dict_as_numpy)");
        } catch (IOException e) {
            throw new BenchException(file + ": cannot read (" + e.getMessage() + "); check the file and its permissions");
        }
        if (arrays.isEmpty()) {
            throw new BenchException(file + ": the .npz holds no .npy arrays; write it with numpy.savez(path, **arrays)");
        }
        return new Contents(arrays, integers);
    }
}
