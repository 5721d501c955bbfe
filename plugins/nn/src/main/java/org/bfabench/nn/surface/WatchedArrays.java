package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bfabench.nn.layer.Layer;

/**
 * The float arrays (scales, batch-norm parameters and statistics) a fused program's derived tables were
 * read from, with a copy of each as it was then: {@link #changed()} says the tables no longer match.
 */
final class WatchedArrays {
    private final List<Supplier<float[]>> sources = new ArrayList<>();
    private final List<float[]> copies = new ArrayList<>();

    void add(Supplier<float[]> source) {
        sources.add(source);
        copies.add(source.get().clone());
    }

    /** Every parameter and buffer of {@code layer}. */
    void addLayer(Layer layer) {
        for (int k = 0; k < layer.params().size(); k++) {
            int i = k;
            add(() -> layer.params().get(i).value());
        }
        for (int k = 0; k < layer.buffers().size(); k++) {
            int i = k;
            add(() -> layer.buffers().get(i).value());
        }
    }

    /** Whether any watched array differs from its copy. */
    boolean changed() {
        for (int i = 0; i < sources.size(); i++) {
            if (!Arrays.equals(sources.get(i).get(), copies.get(i))) {
                return true;
            }
        }
        return false;
    }
}
