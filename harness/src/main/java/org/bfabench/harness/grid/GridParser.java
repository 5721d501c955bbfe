package org.bfabench.harness.grid;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Component;
import org.bfabench.spi.Options;

/** Turns the plain maps and lists SnakeYAML produced into a checked {@link GridSpec}. */
final class GridParser {
    static final List<String> TOP_KEYS = List.of("name", "description", "datasets", "models", "defenses", "attacks",
            "seeds", "attack_seeds", "training", "attack", "reference_defense", "cell_timeout");
    static final List<String> TRAINING_KEYS = List.of("epochs", "batch_size", "train_limit", "test_limit");
    static final List<String> ATTACK_KEYS = List.of("flip_budget", "eval_size", "stop_accuracy");
    private static final List<String> ENTRY_KEYS = List.of("id", "options");
    private static final List<String> ATTACK_ENTRY_KEYS = List.of("id", "options", "flip_budget");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");

    private final String origin;
    private final KeyLines lines;

    GridParser(String origin, KeyLines lines) {
        this.origin = origin;
        this.lines = lines;
    }

    GridSpec parse(Map<?, ?> root, String defaultName, String sha256) {
        checkKeys(root, "", TOP_KEYS);
        String name = root.containsKey("name") ? string(root.get("name"), "name") : defaultName;
        if (!NAME.matcher(name).matches()) {
            throw fail("name", "grid name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'"
                    + " (it becomes a file name)");
        }
        String description = root.containsKey("description") ? string(root.get("description"), "description") : "";
        List<ComponentRef> datasets = components(root, "datasets", ENTRY_KEYS);
        List<ComponentRef> models = components(root, "models", ENTRY_KEYS);
        List<ComponentRef> defenses = components(root, "defenses", ENTRY_KEYS);
        List<ComponentRef> attacks = components(root, "attacks", ATTACK_ENTRY_KEYS);
        List<Long> seeds = seeds(root, "seeds", true);
        List<Long> attackSeeds = seeds(root, "attack_seeds", false);
        TrainingSettings training = training(section(root, "training", TRAINING_KEYS));
        AttackSettings attack = attack(section(root, "attack", ATTACK_KEYS));
        String reference = "quantized-8bit";
        if (root.containsKey("reference_defense")) {
            reference = string(root.get("reference_defense"), "reference_defense");
            String r = reference;
            if (defenses.stream().noneMatch(d -> d.id().equals(r))) {
                throw fail("reference_defense", "reference_defense '" + reference
                        + "' is not among the grid's defenses; list it under defenses or remove the key");
            }
        }
        Optional<Duration> timeout = root.containsKey("cell_timeout")
                ? Optional.of(duration(root.get("cell_timeout"), "cell_timeout")) : Optional.empty();
        return new GridSpec(name, description, datasets, models, defenses, attacks, seeds, attackSeeds, training,
                attack, reference, timeout, sha256);
    }

    private List<ComponentRef> components(Map<?, ?> root, String key, List<String> entryKeys) {
        Object v = root.get(key);
        if (v == null) {
            throw fail(key, "missing '" + key + "': list at least one id, e.g. " + key + ": [some-id]");
        }
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        if (list.isEmpty()) {
            throw fail(key, "'" + key + "' is empty: list at least one id");
        }
        List<ComponentRef> refs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = key + "[" + i + "]";
            ComponentRef ref = component(list.get(i), path, entryKeys);
            if (!seen.add(ref.id())) {
                throw fail(path, key + ": '" + ref.id() + "' is listed twice; list each component once");
            }
            refs.add(ref);
        }
        return refs;
    }

    private ComponentRef component(Object item, String path, List<String> entryKeys) {
        if (item instanceof String s) {
            return ComponentRef.of(id(s, path));
        }
        if (!(item instanceof Map<?, ?> m)) {
            throw fail(path, path + ": expected an id or a mapping {id: ..., options: {...}}, got " + describe(item));
        }
        checkKeys(m, path, entryKeys);
        if (!m.containsKey("id")) {
            throw fail(path, path + ": missing 'id'");
        }
        String id = id(string(m.get("id"), path + ".id"), path + ".id");
        Options options = Options.empty();
        Object o = m.get("options");
        if (o != null && id.startsWith(ComponentRef.IMPORTED)) {
            throw fail(path + ".options", path + ".options: an imported model keeps the architecture options it was"
                    + " imported with; remove 'options' (or import the weights again with other --model-option)");
        }
        if (o != null) {
            if (!(o instanceof Map<?, ?> om)) {
                throw fail(path + ".options", path + ".options: expected a mapping of option names to values");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            om.forEach((k, val) -> values.put(String.valueOf(k), val));
            options = Options.of(values);
        }
        OptionalInt budget = m.containsKey("flip_budget")
                ? OptionalInt.of(positive(m.get("flip_budget"), path + ".flip_budget")) : OptionalInt.empty();
        return new ComponentRef(id, options, budget);
    }

    private String id(String s, String path) {
        if (s.startsWith(ComponentRef.IMPORTED)) {
            String name = s.substring(ComponentRef.IMPORTED.length());
            if (!path.startsWith("models[")) {
                throw fail(path, path + ": '" + s + "': only a model entry can name an imported model");
            }
            if (!ImportedModel.NAME.matcher(name).matches()) {
                throw fail(path, path + ": '" + s + "' is not imported:<name> with a name of letters, digits, '.', '_' or '-'"
                        + " (as given to 'bfabench import --name')");
            }
            return s;
        }
        if (!Component.ID_PATTERN.matcher(s).matches()) {
            throw fail(path, path + ": '" + s + "' is not a component id (lower-case letters, digits and dashes)");
        }
        return s;
    }

    private List<Long> seeds(Map<?, ?> root, String key, boolean required) {
        Object v = root.get(key);
        if (v == null) {
            if (required) {
                throw fail(key, "missing '" + key + "': list the training seeds, e.g. seeds: [1, 2, 3]");
            }
            return List.of();
        }
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        if (list.isEmpty()) {
            throw fail(key, "'" + key + "' is empty: list at least one integer seed");
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object s = list.get(i);
            if (!(s instanceof Integer || s instanceof Long)) {
                throw fail(key + "[" + i + "]", key + "[" + i + "]: expected an integer seed, got " + describe(s));
            }
            long seed = ((Number) s).longValue();
            if (seeds.contains(seed)) {
                throw fail(key + "[" + i + "]", key + ": seed " + seed + " is listed twice");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    private Map<?, ?> section(Map<?, ?> root, String key, List<String> known) {
        Object v = root.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(key, "'" + key + "' must be a mapping with keys " + String.join(", ", known));
        }
        checkKeys(m, key, known);
        return m;
    }

    private TrainingSettings training(Map<?, ?> m) {
        int epochs = m.containsKey("epochs") ? positive(m.get("epochs"), "training.epochs") : 1;
        int batch = m.containsKey("batch_size") ? positive(m.get("batch_size"), "training.batch_size") : 64;
        int trainLimit = m.containsKey("train_limit") ? nonNegative(m.get("train_limit"), "training.train_limit") : 0;
        int testLimit = m.containsKey("test_limit") ? nonNegative(m.get("test_limit"), "training.test_limit") : 0;
        return new TrainingSettings(epochs, batch, trainLimit, testLimit);
    }

    private AttackSettings attack(Map<?, ?> m) {
        int budget = m.containsKey("flip_budget") ? positive(m.get("flip_budget"), "attack.flip_budget") : 100;
        int evalSize = m.containsKey("eval_size") ? nonNegative(m.get("eval_size"), "attack.eval_size") : 0;
        OptionalDouble stop = OptionalDouble.empty();
        Object s = m.get("stop_accuracy");
        if (s != null && !"auto".equals(s)) {
            if (!(s instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() >= 1) {
                throw fail("attack.stop_accuracy", "attack.stop_accuracy: expected 'auto' or a fraction in [0, 1),"
                        + " got " + describe(s));
            }
            stop = OptionalDouble.of(n.doubleValue());
        }
        return new AttackSettings(budget, evalSize, stop);
    }

    private int positive(Object v, String path) {
        int n = integer(v, path);
        if (n <= 0) {
            throw fail(path, path + ": must be a positive integer, got " + n);
        }
        return n;
    }

    private int nonNegative(Object v, String path) {
        int n = integer(v, path);
        if (n < 0) {
            throw fail(path, path + ": must be 0 or more, got " + n);
        }
        return n;
    }

    private int integer(Object v, String path) {
        if (v instanceof Integer i) {
            return i;
        }
        throw fail(path, path + ": expected an integer, got " + describe(v));
    }

    private String string(Object v, String path) {
        if (v instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        throw fail(path, path + ": expected a non-empty string, got " + describe(v));
    }

    private Duration duration(Object v, String path) {
        Duration d;
        if (v instanceof Integer i) {
            d = Duration.ofSeconds(i);
        } else if (v instanceof String s) {
            Matcher m = SIMPLE_DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                try {
                    d = Duration.parse(s.trim());
                } catch (DateTimeParseException e) {
                    throw fail(path, path + ": expected a duration such as 90s, 20m, 2h or PT1H30M, got '" + s + "'");
                }
            }
        } else {
            throw fail(path, path + ": expected a duration such as 90s, 20m or 2h, got " + describe(v));
        }
        if (d.isNegative() || d.isZero()) {
            throw fail(path, path + ": must be positive");
        }
        return d;
    }

    private void checkKeys(Map<?, ?> m, String path, List<String> known) {
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                String p = path.isEmpty() ? String.valueOf(k) : path + "." + k;
                throw fail(p, "unknown key '" + k + "'" + (path.isEmpty() ? "" : " in " + path)
                        + " (known keys: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        String kind = v instanceof Map ? "a mapping" : v instanceof List ? "a list" : "'" + v + "'";
        return kind;
    }

    private BenchException fail(String path, String message) {
        OptionalInt line = lines.line(path);
        return new BenchException("grid " + origin + (line.isPresent() ? " line " + line.getAsInt() : "") + ": " + message);
    }
}
