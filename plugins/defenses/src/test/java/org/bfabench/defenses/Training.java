package org.bfabench.defenses;

import java.nio.file.Path;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.TrainingBudget;
import org.bfabench.spi.TrainingContext;

final class Training {
    private Training() {
    }

    static Defense defense(String id) {
        return new DefensesPlugin().defenses().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    static DefendedModel train(String defense, ModelArchitecture arch, Dataset ds, TrainingBudget budget, long seed,
            Options options, Path dir) {
        return defense(defense).train(new TrainingContext(arch, Options.empty(), ds, budget, seed, options, Progress.NONE,
                dir, dir));
    }

    static double accuracy(DefendedModel m, Dataset ds, int n) {
        var b = ds.test().range(0, Math.min(n, ds.test().size()));
        int[] p = m.predict(b);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == b.labels()[i] ? 1 : 0;
        }
        return (double) ok / p.length;
    }
}
