package org.bfabench.harness.weights;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.WeightArray;

/**
 * Picks, for every parameter a model needs, the array of an {@code .npz} that fills it (through the
 * mapping, else by its own name) and checks its shape, so that every mistake is reported with the names
 * a user can act on: the missing key with the closest keys the file does have, or both shapes. An
 * attackable weight whose key {@code K} comes with a key {@code K.step} is given as integer codes with that
 * step (checked by the defense, which knows its code range).
 */
public final class WeightResolver {
    /** PyTorch's batch-norm step counter: in every state_dict, meaningless for inference. */
    private static final String IGNORED_SUFFIX = ".num_batches_tracked";

    /** Suffix of the key holding the step of an attackable weight given as integer codes. */
    public static final String STEP_SUFFIX = ".step";

    /**
     * @param byName  the arrays by bfabench name
     * @param steps   by bfabench name, the step of every attackable weight the file gives as integer codes
     *                (its key plus {@value #STEP_SUFFIX} is present)
     * @param keys    by bfabench name, the key of the file it was read from
     * @param unused  keys of the file no parameter used (other than {@code num_batches_tracked})
     */
    public record Resolved(Map<String, WeightArray> byName, Map<String, WeightArray> steps, Map<String, String> keys,
            Set<String> unused) {
    }

    private WeightResolver() {
    }

    public static Resolved resolve(String file, List<ParameterSpec> specs, Map<String, WeightArray> arrays,
            Map<String, String> mapping) {
        Set<String> names = specs.stream().map(ParameterSpec::name).collect(Collectors.toSet());
        for (String k : mapping.keySet()) {
            if (!names.contains(k)) {
                throw new BenchException("mapping: '" + k + "' is not a parameter of this model" + nearest(k, names)
                        + "; 'bfabench describe' lists the names");
            }
        }
        Map<String, WeightArray> out = new LinkedHashMap<>();
        Map<String, WeightArray> steps = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (ParameterSpec s : specs) {
            String key = mapping.getOrDefault(s.name(), s.name());
            WeightArray a = arrays.get(key);
            if (a == null) {
                String via = key.equals(s.name()) ? "" : " (mapped from '" + s.name() + "')";
                throw new BenchException(file + ": no array '" + key + "'" + via + nearest(key, arrays.keySet())
                        + "; map '" + s.name() + "' to the right key with --map");
            }
            if (!java.util.Arrays.equals(a.shape(), s.shape())) {
                throw new BenchException(file + ": array '" + key + "' has shape " + a.shapeString() + " but '" + s.name()
                        + "' needs " + s.shapeString() + "; check the model options (widths, shortcut) or the mapping");
            }
            out.put(s.name(), a);
            keys.put(s.name(), key);
            used.add(key);
            WeightArray step = arrays.get(key + STEP_SUFFIX);
            if (s.attackable() && step != null) {
                steps.put(s.name(), step);
                used.add(key + STEP_SUFFIX);
            }
        }
        Set<String> unused = new TreeSet<>();
        for (String k : arrays.keySet()) {
            if (!used.contains(k) && !k.endsWith(IGNORED_SUFFIX)) {
                unused.add(k);
            }
        }
        return new Resolved(out, steps, keys, unused);
    }

    /** Up to three closest candidates by edit distance, as " (closest: a, b, c)". */
    static String nearest(String key, Set<String> candidates) {
        List<String> best = candidates.stream()
                .sorted(Comparator.comparingInt((String c) -> distance(key, c)).thenComparing(c -> c))
                .limit(3).toList();
        return best.isEmpty() ? "" : " (closest: " + String.join(", ", best) + ")";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
