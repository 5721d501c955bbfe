package org.bfabench.defenses.rabnn;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-layer channel density after every search epoch of Early-Growth, and the "early" stopping rule:
 * the search ends once the overall density moves by less than a tolerance (0.5 percentage points by
 * default) from one epoch to the next — the authors' logs show density saturating within the first
 * few percent of training (ALGORITHMS.md §3 step 6).
 */
public final class DensityCurve {
    private final List<String> layers;
    private final List<double[]> perEpoch = new ArrayList<>();
    private final List<Double> overall = new ArrayList<>();

    public DensityCurve(List<String> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Records the densities after an epoch; {@code channels} weights the overall density. */
    public void record(double[] densities, int[] channels) {
        if (densities.length != layers.size() || channels.length != layers.size()) {
            throw new IllegalArgumentException("expected " + layers.size() + " layers");
        }
        double on = 0;
        double all = 0;
        for (int i = 0; i < densities.length; i++) {
            on += densities[i] * channels[i];
            all += channels[i];
        }
        perEpoch.add(densities.clone());
        overall.add(on / all);
    }

    public int epochs() {
        return perEpoch.size();
    }

    public double overall(int epoch) {
        return overall.get(epoch);
    }

    /** Density of every layer after the last recorded epoch. */
    public Map<String, Double> last() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] d = perEpoch.get(perEpoch.size() - 1);
        for (int i = 0; i < layers.size(); i++) {
            m.put(layers.get(i), d[i]);
        }
        return m;
    }

    /** True once the overall density changed by less than {@code tolerance} in the last epoch. */
    public boolean saturated(double tolerance) {
        int n = overall.size();
        return n >= 2 && Math.abs(overall.get(n - 1) - overall.get(n - 2)) < tolerance;
    }

    /** Writes {@code epoch,overall,<layer>…} rows; epoch 0 is the initial state. */
    public void writeCsv(Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("epoch,overall," + String.join(",", layers) + "\n");
            for (int e = 0; e < perEpoch.size(); e++) {
                StringBuilder row = new StringBuilder().append(e).append(',').append(fmt(overall.get(e)));
                for (double d : perEpoch.get(e)) {
                    row.append(',').append(fmt(d));
                }
                w.write(row.append('\n').toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write density curve " + file, e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
