package org.bfabench.benchmarks.defended;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Component;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.TrainingBudget;
import org.bfabench.spi.TrainingContext;

/**
 * Models for the model-level benchmarks, built exactly as a grid cell builds them: components found
 * through {@link ServiceLoader} by id, trained by the defense's own {@link Defense#train} (a tiny budget:
 * speed depends on shapes and layer kinds, not on accuracy), on real Fashion-MNIST framed to 3×32×32.
 */
final class Fixtures {
    static final long SEED = 2026L;

    private Fixtures() {
    }

    /** Fashion-MNIST as found by the datasets plugin (offline), framed to CIFAR-10's shape. */
    static Dataset cifarShaped(int trainImages, int testImages) {
        try {
            Path cache = Files.createTempDirectory("bfabench-bench-cache");
            Dataset fmnist = component(BenchPlugin::datasets, "fashion-mnist")
                    .load(new DatasetContext(Optional.empty(), cache, true, Options.empty()));
            // the installed dataset is read in place, so the cache stays empty; every JMH fork made one
            try {
                Files.deleteIfExists(cache);
            } catch (java.nio.file.DirectoryNotEmptyException kept) {
                // the dataset was cached there after all: leave it for the dataset to read
            }
            return new CifarShapedFashionMnist(fmnist, trainImages, testImages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelArchitecture architecture(String id) {
        return component(BenchPlugin::architectures, id);
    }

    static Defense defense(String id) {
        return component(BenchPlugin::defenses, id);
    }

    static Attack attack(String id) {
        return component(BenchPlugin::attacks, id);
    }

    /** {@code defense}'s model of {@code model} after {@code steps} training steps of {@code batch} images. */
    static DefendedModel train(String defense, String model, Dataset data, int steps, int batch) {
        try {
            Path work = Files.createTempDirectory("bfabench-bench-work");
            TrainingContext ctx = new TrainingContext(architecture(model), Options.empty(), data,
                    new TrainingBudget(1, batch, steps * batch), SEED, Options.empty(), Progress.NONE, work, work);
            return defense(defense).train(ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends Component> T component(Function<BenchPlugin, List<? extends T>> kind, String id) {
        for (BenchPlugin p : ServiceLoader.load(BenchPlugin.class)) {
            for (T c : kind.apply(p)) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("no plugin on the benchmark class path provides '" + id + "'");
    }
}
