package org.bfabench.harness.grid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.BenchException;

/**
 * A benchmark grid: every combination of dataset × model × defense × attack × seed is one cell.
 *
 * <p>Built by {@link GridLoader}, which checks the syntax and the values; whether the ids exist is a
 * separate question answered by {@link #validate} against the plugins actually loaded, so that a grid
 * naming a defense that is not installed fails with the list of what is.
 *
 * @param name              grid name (used in file names: {@code leaderboards/<name>.csv})
 * @param description       one line for humans
 * @param datasets          datasets (id + options)
 * @param models            architectures (id + options), or {@code imported:<name>} entries naming models
 *                          stored by {@code bfabench import} (resolved by {@link ImportedModels})
 * @param defenses          defenses (id + options)
 * @param attacks           attacks (id + options, optional per-attack flip budget)
 * @param seeds             training seeds
 * @param attackSeeds       attack seeds; empty = each model is attacked once with its training seed,
 *                          otherwise every training seed is attacked with every attack seed
 * @param training          training budget and data subset
 * @param attack            attack budget, evaluation size and stop threshold
 * @param referenceDefense  the defense resistance ratios are relative to
 * @param cellTimeout       wall-clock limit for one training and for one attack run, if any
 * @param sha256            SHA-256 of the grid file's bytes (provenance)
 */
public record GridSpec(String name, String description, List<ComponentRef> datasets, List<ComponentRef> models,
        List<ComponentRef> defenses, List<ComponentRef> attacks, List<Long> seeds, List<Long> attackSeeds,
        TrainingSettings training, AttackSettings attack, String referenceDefense, Optional<Duration> cellTimeout,
        String sha256) {

    public GridSpec {
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
        defenses = List.copyOf(defenses);
        attacks = List.copyOf(attacks);
        seeds = List.copyOf(seeds);
        attackSeeds = List.copyOf(attackSeeds);
    }

    /** The (training seed, attack seed) pairs of every model/attack combination, in grid order. */
    public List<SeedPair> seedPairs() {
        List<SeedPair> pairs = new ArrayList<>();
        for (long s : seeds) {
            if (attackSeeds.isEmpty()) {
                pairs.add(new SeedPair(s, s));
            } else {
                for (long a : attackSeeds) {
                    pairs.add(new SeedPair(s, a));
                }
            }
        }
        return pairs;
    }

    /** The flip budget of {@code attackRef}: its own override or the grid's. */
    public int flipBudget(ComponentRef attackRef) {
        return attackRef.flipBudget().orElse(attack.flipBudget());
    }

    /**
     * Checks every id against the loaded plugins; throws one {@link BenchException} naming each unknown
     * id and listing the ids that are available.
     */
    public void validate(PluginRegistry registry) {
        List<String> problems = new ArrayList<>();
        check("dataset", datasets, registry.datasets(), problems);
        check("model", models.stream().filter(m -> m.importedName().isEmpty()).toList(), registry.architectures(),
                problems);
        check("defense", defenses, registry.defenses(), problems);
        check("attack", attacks, registry.attacks(), problems);
        if (!problems.isEmpty()) {
            throw new BenchException("grid '" + name + "': " + String.join("; ", problems)
                    + " — fix the grid file, or add the plugin jar to the plugins directory");
        }
    }

    private static void check(String kind, List<ComponentRef> refs, Map<String, ? extends LoadedComponent<?>> loaded,
            List<String> problems) {
        for (ComponentRef ref : refs) {
            if (!loaded.containsKey(ref.id())) {
                String available = loaded.isEmpty() ? "none loaded"
                        : loaded.keySet().stream().sorted().collect(Collectors.joining(", "));
                problems.add("unknown " + kind + " '" + ref.id() + "' (available " + kind + "s: " + available + ")");
            }
        }
    }
}
