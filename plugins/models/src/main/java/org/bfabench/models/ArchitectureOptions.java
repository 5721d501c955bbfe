package org.bfabench.models;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * Validation and parsing of architecture options shared by the architectures of this plugin. Every
 * problem is a {@link BenchException} naming the architecture, the option and what is accepted.
 */
final class ArchitectureOptions {
    private ArchitectureOptions() {
    }

    /** Rejects keys the architecture does not know, listing the ones it does. */
    static void requireKnown(String arch, Options options, Set<String> known) {
        for (String key : options.keys()) {
            if (!known.contains(key)) {
                throw new BenchException(arch + ": unknown option '" + key + "'; known options: "
                        + String.join(", ", new TreeSet<>(known)) + " — fix the model options in the grid file");
            }
        }
    }

    static void requireClasses(String arch, int numClasses) {
        if (numClasses < 2) {
            throw new BenchException(arch + ": needs at least 2 classes, got " + numClasses
                    + " — check the dataset");
        }
    }

    /** A strictly positive finite number, or {@code fallback} when absent. */
    static double positive(String arch, Options options, String key, double fallback) {
        double v = options.getDouble(key, fallback);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new BenchException(arch + ": option '" + key + "' must be a positive number, got '"
                    + options.asMap().get(key) + "'");
        }
        return v;
    }

    /** {@code base} channels scaled by {@code factor}, rounded to nearest, at least one. */
    static int scaled(int base, double factor) {
        return (int) Math.max(1, Math.round(base * factor));
    }

    /**
     * A list of positive integers: a YAML list ({@code [256, 128]}), a single number, or a string such
     * as {@code "256,128"} or {@code "[256, 128]"} (command-line overrides arrive as strings).
     */
    static List<Integer> positiveInts(String arch, Options options, String key, List<Integer> fallback) {
        Object raw = options.asMap().get(key);
        if (raw == null) {
            return fallback;
        }
        List<Object> items = new ArrayList<>();
        if (raw instanceof Collection<?> c) {
            items.addAll(c);
        } else if (raw instanceof Number) {
            items.add(raw);
        } else {
            String s = raw.toString().trim();
            if (s.startsWith("[") && s.endsWith("]")) {
                s = s.substring(1, s.length() - 1);
            }
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (Object item : items) {
            int v;
            try {
                v = item instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        ? n.intValue() : Integer.parseInt(item.toString().trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v <= 0) {
                throw new BenchException(arch + ": option '" + key + "' must be a list of positive integers such as "
                        + "[256, 128], got '" + raw + "'");
            }
            out.add(v);
        }
        if (out.isEmpty()) {
            throw new BenchException(arch + ": option '" + key + "' must not be empty, got '" + raw + "'");
        }
        return List.copyOf(out);
    }

    /** Fails unless the input survives {@code pools} 2×2 max-pools with at least 1×1 left. */
    static void requireMinSize(String arch, Shape input, int pools) {
        int min = 1 << pools;
        if (input.height() < min || input.width() < min) {
            throw new BenchException(arch + ": input " + input + " is too small; its " + pools
                    + " 2x2 max-pools need at least " + min + "x" + min + " pixels — use another model");
        }
    }
}
