package org.bfabench.harness.weights;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bfabench.spi.BenchException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A weight-import mapping file: a YAML mapping from bfabench parameter name (as {@code bfabench describe}
 * prints it) to the key of the {@code .npz} array that fills it. Names it does not mention are looked up
 * under their own name, so a mapping lists only the names that differ.
 */
public final class WeightMapping {
    private WeightMapping() {
    }

    public static Map<String, String> read(Path file) {
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new BenchException(file + ": cannot read the mapping (" + e.getMessage() + "); check the path");
        } catch (YAMLException e) {
            throw new BenchException(file + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("")
                    + "); write one 'bfabench_name: npz_key' per line");
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new BenchException(file + ": the mapping must be a YAML mapping of 'bfabench_name: npz_key' lines");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
                throw new BenchException(file + ": entry '" + e.getKey() + ": " + e.getValue()
                        + "' is not 'bfabench_name: npz_key' (both strings)");
            }
            out.put(k, v);
        }
        return out;
    }
}
