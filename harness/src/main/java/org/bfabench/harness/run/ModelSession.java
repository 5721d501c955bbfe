package org.bfabench.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.progress.TaskProgress;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.Batch;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Defense;
import org.bfabench.spi.Footprint;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.TrainingContext;
import org.bfabench.spi.WeightSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trained model shared by all attack cells of one (dataset, model, defense, training seed):
 * trained once and cached as {@code .bfabench/cache/models/<model key>.npz} (with a
 * {@code <model key>.json} side file recording the training time), or loaded from that cache. Its
 * clean weights are snapshotted once and restored before every attack. A model stored by
 * {@code bfabench import} is loaded from {@code .bfabench/cache/imported/<name>.npz} instead, never trained.
 */
final class ModelSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);
    private static final int PREDICT_CHUNK = 500;

    private final RunContext ctx;
    private final Cell cell;
    private final Dataset dataset;
    private final LoadedComponent<Defense> defense;
    private final LoadedComponent<ModelArchitecture> architecture;
    private final ObjectMapper json = Json.mapper();

    private DefendedModel model;
    private Optional<AttackSurface> surface = Optional.empty();
    private WeightSnapshot clean;
    private double trainingSeconds;
    private boolean fromCache;
    private double cleanAccuracy;
    private Footprint footprint;
    private Map<String, String> facts = Map.of();

    ModelSession(RunContext ctx, Cell cell, Dataset dataset) {
        this.ctx = ctx;
        this.cell = cell;
        this.dataset = dataset;
        this.defense = ctx.registry().defenses().get(cell.defense().id());
        this.architecture = ctx.registry().architectures().get(cell.model().id());
    }

    boolean ready() {
        return model != null;
    }

    /** Trains or loads the model, measures its clean accuracy and snapshots its codes (under the cell timeout). */
    void obtain() throws Watchdog.Overrun, ExecutionException {
        Watchdog.call("bfabench-train-" + cell.modelKey().substring(0, 8), ctx.timeout(), () -> {
            prepare();
            return null;
        });
    }

    private void prepare() throws IOException {
        Path npz = ctx.modelCache().resolve(cell.modelKey() + ".npz");
        Path meta = ctx.modelCache().resolve(cell.modelKey() + ".json");
        DefendedModel m = null;
        if (cell.imported().isPresent()) {
            m = loadImported(cell.imported().get());
        } else if (Files.isRegularFile(npz) && Files.isRegularFile(meta)) {
            try {
                ModelContext mc = new ModelContext(architecture.component(), cell.model().options(),
                        dataset.inputShape(), dataset.numClasses(), cell.defense().options());
                m = defense.call(() -> defense.component().load(mc, npz));
                trainingSeconds = json.readTree(meta.toFile()).path("training_seconds").asDouble();
                fromCache = true;
            } catch (RuntimeException e) {
                LOG.warn("cached model {} unusable, retraining: {}", npz, e.toString());
            }
        }
        if (m == null) {
            m = train(npz, meta);
        }
        model = m;
        DefendedModel trained = m;
        footprint = defense.call(trained::footprint);
        facts = defense.call(trained::facts);
        cleanAccuracy = defense.call(() -> accuracy(trained, dataset.test()));
        surface = defense.call(trained::attackSurface);
        surface.ifPresent(s -> clean = defense.call(s::snapshot));
    }

    /** An imported model is never trained: its stored file is loaded or the cell fails. */
    private DefendedModel loadImported(ImportedModel imported) {
        Path file = imported.modelFile(ctx.options().cacheDir());
        ModelContext mc = new ModelContext(architecture.component(), cell.model().options(), dataset.inputShape(),
                dataset.numClasses(), cell.defense().options());
        DefendedModel m = defense.call(() -> defense.component().load(mc, file));
        trainingSeconds = 0;
        fromCache = true;
        return m;
    }

    private DefendedModel train(Path npz, Path meta) throws IOException {
        Path work = ctx.store().dir().resolve("work").resolve(cell.modelKey());
        Path shared = ctx.options().cacheDir().resolve("defenses").resolve(cell.defense().id());
        Files.createDirectories(work);
        Files.createDirectories(shared);
        Files.createDirectories(npz.getParent());
        long t0 = System.nanoTime();
        DefendedModel m;
        try (TaskProgress p = ctx.progress().open(cell.config().model().id() + "/"
                + cell.config().defense().id() + " seed " + cell.config().trainSeed())) {
            TrainingContext tc = new TrainingContext(architecture.component(), cell.model().options(), dataset,
                    ctx.grid().training().budget(), cell.config().trainSeed(), cell.defense().options(), p, work, shared);
            m = defense.call(() -> defense.component().train(tc));
        }
        trainingSeconds = (System.nanoTime() - t0) / 1e9;
        fromCache = false;
        Path temp = AtomicFiles.tempSibling(npz, ".npz");
        DefendedModel trained = m;
        defense.run(() -> trained.save(temp));
        AtomicFiles.moveAtomically(temp, npz);
        AtomicFiles.write(meta, json.writeValueAsBytes(Map.of("model_key", cell.modelKey(),
                "defense", cell.config().defense().label(), "training_seconds", trainingSeconds)));
        return m;
    }

    /** Top-1 accuracy over a whole split, predicted in chunks to bound memory. */
    static double accuracy(DefendedModel m, ImageSplit split) {
        int correct = 0;
        for (int from = 0; from < split.size(); from += PREDICT_CHUNK) {
            Batch b = split.range(from, Math.min(split.size(), from + PREDICT_CHUNK));
            int[] predicted = m.predict(b);
            int[] labels = b.labels();
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
        }
        return split.size() == 0 ? 0 : (double) correct / split.size();
    }

    /** Puts the clean codes back (before every attack). */
    void restoreClean() {
        surface.ifPresent(s -> defense.run(() -> s.restore(clean)));
    }

    LoadedComponent<Defense> defense() {
        return defense;
    }

    Optional<AttackSurface> surface() {
        return surface;
    }

    double trainingSeconds() {
        return trainingSeconds;
    }

    boolean fromCache() {
        return fromCache;
    }

    double cleanAccuracy() {
        return cleanAccuracy;
    }

    int testImages() {
        return dataset.test().size();
    }

    Footprint footprint() {
        return footprint;
    }

    Map<String, String> facts() {
        return facts;
    }

    Dataset dataset() {
        return dataset;
    }

    /**
     * Forgets a model an abandoned worker thread may still be using: closing it under that thread could
     * crash the JVM, so its memory is left to the process exit.
     */
    void abandon() {
        LOG.warn("abandoning model {} still used by a timed-out worker", cell.modelKey());
        model = null;
        surface = Optional.empty();
        clean = null;
    }

    @Override
    public void close() {
        if (model != null) {
            DefendedModel m = model;
            model = null;
            try {
                defense.run(m::close);
            } catch (RuntimeException e) {
                LOG.warn("closing model {} failed", cell.modelKey(), e);
            }
        }
    }
}
