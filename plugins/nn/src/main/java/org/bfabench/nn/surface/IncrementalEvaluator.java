package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.Gradients;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;

/**
 * A {@link BatchEvaluator} that caches every node's activation for its batch and recomputes only from the
 * earliest node whose layer was flipped since (the bit search's inner loop, ALGORITHMS.md §4, evaluates
 * one tentative flip per layer per iteration: caching makes that cost the tail of the network only).
 *
 * <p>A batch whose activations would exceed {@link #CACHE_BYTES} (a whole evaluation split, or a few
 * hundred images of a ResNet-20 at 2.8 MB of activations per image) is not cached: it is recomputed on
 * every call in chunks small enough to stay under that bound, which keeps the heap bounded.
 */
final class IncrementalEvaluator implements BatchEvaluator {
    static final int CHUNK = 500;
    static final int CACHE_LIMIT = 1024;
    static final long CACHE_BYTES = 768L << 20;

    private final NetworkSurface surface;
    private final Network network;
    private final Batch batch;
    private final List<Chunk> chunks = new ArrayList<>();
    private final boolean cached;

    /** One slice of the batch with its activations and the layer versions they reflect. */
    private static final class Chunk {
        final int from;
        final int[] labels;
        final Tensor input;
        Tensor[] acts;
        long[] versions;
        /** Node values of the fused program (bits between binary layers), and what they reflect. */
        Object[] fused;
        long[] fusedVersions;
        FusedProgram fusedBy;

        Chunk(int from, int[] labels, Tensor input) {
            this.from = from;
            this.labels = labels;
            this.input = input;
        }
    }

    IncrementalEvaluator(NetworkSurface surface, Batch batch) {
        this.surface = surface;
        this.network = surface.network();
        this.batch = batch;
        long bytesPerImage = activationBytesPerImage(network);
        this.cached = batch.size() <= CACHE_LIMIT && batch.size() * bytesPerImage <= CACHE_BYTES;
        int per = batch.shape().size();
        int step = cached ? Math.max(1, batch.size())
                : (int) Math.max(1, Math.min(CHUNK, CACHE_BYTES / bytesPerImage));
        for (int from = 0; from < batch.size(); from += step) {
            int to = Math.min(batch.size(), from + step);
            float[] x = Arrays.copyOfRange(batch.images(), from * per, to * per);
            chunks.add(new Chunk(from, Arrays.copyOfRange(batch.labels(), from, to), network.input(x, to - from)));
        }
    }

    /** Bytes of all node activations of one image (float32). */
    static long activationBytesPerImage(Network network) {
        long floats = 0;
        for (var node : network.nodes()) {
            long n = 1;
            for (int d : node.shape()) {
                n *= d;
            }
            floats += n;
        }
        return Math.max(1, 4 * floats);
    }

    @Override
    public Batch batch() {
        return batch;
    }

    private long[] currentVersions() {
        long[] v = new long[surface.layerCount()];
        for (int l = 0; l < v.length; l++) {
            v[l] = surface.version(l);
        }
        return v;
    }

    /** Activations of {@code c} for the surface's current codes (cached when allowed). */
    private Tensor[] activations(Chunk c) {
        long[] now = currentVersions();
        if (c.acts == null) {
            Tensor[] fresh = new Tensor[network.size()];
            fresh[0] = c.input;
            Tensor[] acts = surface.forwardFrom(fresh, 1);
            if (cached) {
                c.acts = acts;
                c.versions = now;
            }
            return acts;
        }
        int from = firstChanged(now, c.versions);
        if (from != Integer.MAX_VALUE) {
            c.acts = surface.forwardFrom(c.acts, from);
            c.versions = now;
        }
        return c.acts;
    }

    /** Earliest node of a layer whose version differs from {@code seen}, or MAX_VALUE. */
    private int firstChanged(long[] now, long[] seen) {
        int from = Integer.MAX_VALUE;
        for (int l = 0; l < now.length; l++) {
            if (now[l] != seen[l]) {
                from = Math.min(from, surface.nodeOfLayer(l));
            }
        }
        return from;
    }

    /**
     * Fused-program values of {@code c} for the current codes (cached when allowed): what loss,
     * tentative losses and predictions need. Gradients need every float activation ({@link #activations}).
     */
    private Object[] fusedValues(Chunk c) {
        FusedProgram program = surface.fused();
        long[] now = currentVersions();
        if (c.fused == null || c.fusedBy != program) {
            Object[] values = program.run(c.input);
            if (cached) {
                c.fused = values;
                c.fusedVersions = now;
                c.fusedBy = program;
            }
            return values;
        }
        int from = firstChanged(now, c.fusedVersions);
        if (from != Integer.MAX_VALUE) {
            c.fused = program.runFrom(c.fused, from);
            c.fusedVersions = now;
        }
        return c.fused;
    }

    @Override
    public double loss() {
        double total = 0;
        for (Chunk c : chunks) {
            Tensor logits = surface.fused().logits(fusedValues(c));
            total += SoftmaxCrossEntropy.loss(logits, c.labels) * c.labels.length;
        }
        return total / batch.size();
    }

    @Override
    public LossGradient lossAndGradient() {
        int layers = surface.layerCount();
        float[][] grads = new float[layers][];
        double total = 0;
        for (Chunk c : chunks) {
            Tensor[] acts = activations(c);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.lossAndGradient(network.logits(acts), c.labels);
            double weight = (double) c.labels.length / batch.size();
            total += r.loss() * weight;
            Gradients[] g = network.backward(acts, r.gradient(), false);
            for (int l = 0; l < layers; l++) {
                Gradients gl = g[surface.nodeOfLayer(l)];
                float[] codes = gl == null ? null : gl.codes();
                if (grads[l] == null) {
                    grads[l] = new float[surface.layers().get(l).weightCount()];
                }
                if (codes != null) {
                    for (int i = 0; i < codes.length; i++) {
                        grads[l][i] += (float) (codes[i] * weight);
                    }
                }
            }
        }
        return new LossGradient(total, grads);
    }

    @Override
    public double lossWith(List<BitFlip> flips) {
        if (flips.isEmpty()) {
            return loss();
        }
        int from = Integer.MAX_VALUE;
        for (BitFlip f : flips) {
            from = Math.min(from, surface.nodeOfLayer(f.layer()));
        }
        // bring caches up to date before the tentative flips so they stay valid afterwards
        FusedProgram program = surface.fused();
        List<Object[]> base = new ArrayList<>();
        for (Chunk c : chunks) {
            base.add(cached ? fusedValues(c) : null);
        }
        for (BitFlip f : flips) {
            surface.toggle(f);
        }
        try {
            double total = 0;
            for (int k = 0; k < chunks.size(); k++) {
                Chunk c = chunks.get(k);
                Object[] values = cached ? program.runFrom(base.get(k), from) : program.run(c.input);
                total += SoftmaxCrossEntropy.loss(program.logits(values), c.labels) * c.labels.length;
            }
            return total / batch.size();
        } finally {
            for (int k = flips.size() - 1; k >= 0; k--) {
                surface.toggle(flips.get(k));
            }
        }
    }

    @Override
    public int[] predictions() {
        int[] p = new int[batch.size()];
        for (Chunk c : chunks) {
            int[] cp = SoftmaxCrossEntropy.argmax(surface.fused().logits(fusedValues(c)));
            System.arraycopy(cp, 0, p, c.from, cp.length);
        }
        return p;
    }

    @Override
    public double accuracy() {
        int[] p = predictions();
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == batch.labels()[i] ? 1 : 0;
        }
        return batch.size() == 0 ? 0 : (double) ok / batch.size();
    }

    @Override
    public void close() {
        chunks.clear();
    }
}
