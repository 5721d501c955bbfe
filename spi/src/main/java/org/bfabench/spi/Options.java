package org.bfabench.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Immutable string-keyed settings for a component, as written in a grid file
 * (e.g. {@code k_top: 10}). Values are strings, numbers, booleans or lists as parsed from YAML.
 *
 * <p>Typed getters convert and fail with a {@link BenchException} naming the key, so a component never
 * has to write its own parsing. Iteration order is sorted by key, which makes {@link #toString()} a
 * stable input to content hashes.
 */
public final class Options {
    private static final Options EMPTY = new Options(Map.of());
    private final Map<String, Object> values;

    private Options(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Options empty() {
        return EMPTY;
    }

    public static Options of(Map<String, ?> values) {
        return values == null || values.isEmpty() ? EMPTY : new Options(new LinkedHashMap<>(values));
    }

    /** A copy with {@code key} set to {@code value}. */
    public Options with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Options(copy);
    }

    /** These options overlaid by {@code other}'s entries. */
    public Options merge(Options other) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return new Options(copy);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String getString(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    public int getInt(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BenchException("option '" + key + "': expected an integer, got '" + v + "'");
        }
    }

    public long getLong(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BenchException("option '" + key + "': expected an integer, got '" + v + "'");
        }
    }

    public double getDouble(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BenchException("option '" + key + "': expected a number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new BenchException("option '" + key + "': expected true or false, got '" + v + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
