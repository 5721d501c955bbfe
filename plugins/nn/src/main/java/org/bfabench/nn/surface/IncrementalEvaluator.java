package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.Gradients;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;

/**
 * A {@link BatchEvaluator} that caches activations for its batch and recomputes only from the earliest
 * node whose layer was flipped since (the bit search's inner loop, ALGORITHMS.md §4, evaluates one
 * tentative flip per layer per iteration: caching makes that cost the tail of the network only).
 *
 * <p>Two caches: every node's float activation, which gradients need, and for loss, tentative losses and
 * predictions only the {@link FusedProgram#live() live} values a re-run from any weighted layer reads
 * (about a third of the activations of a ResNet). Each is kept only when it fits {@link #CACHE_BYTES};
 * a batch whose activations do not fit (a whole evaluation split, or a few hundred images of a ResNet-20
 * at 2.8 MB of activations per image) is split into chunks small enough to stay under that bound, so an
 * evaluation split keeps its live values and re-runs only the tail after each committed flip. Live values
 * of a float-path program are channels-last where the program computed them and NCHW where they were
 * shared from the gradient pass; either has the node's float count, which is what the bound counts.
 */
final class IncrementalEvaluator implements BatchEvaluator {
    static final int CHUNK = 500;
    static final int CACHE_LIMIT = 1024;
    static final long CACHE_BYTES = 768L << 20;

    private final NetworkSurface surface;
    private final Network network;
    private final Batch batch;
    private final List<Chunk> chunks = new ArrayList<>();
    /** Whether every node's float activation is cached (for gradients). */
    private final boolean cached;
    /** Whether the fused program's live values are cached (for losses and predictions). */
    private final boolean cachedValues;
    private int patched;

    /** One slice of the batch with its activations and the layer versions they reflect. */
    private static final class Chunk {
        final int from;
        final int[] labels;
        final Tensor input;
        Tensor[] acts;
        long[] versions;
        /** Node values of the fused program, only those it keeps live, and what they reflect. */
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
        this(surface, batch, CACHE_BYTES);
    }

    /** An evaluator whose caches and chunks stay under {@code cacheBytes} (tests use small bounds). */
    IncrementalEvaluator(NetworkSurface surface, Batch batch, long cacheBytes) {
        this.surface = surface;
        this.network = surface.network();
        this.batch = batch;
        long bytesPerImage = LiveValues.activationBytesPerImage(network);
        long liveBytesPerImage = LiveValues.liveBytesPerImage(network, surface.fused());
        this.cached = batch.size() <= CACHE_LIMIT && batch.size() * bytesPerImage <= cacheBytes;
        this.cachedValues = batch.size() <= CACHE_LIMIT && batch.size() * liveBytesPerImage <= cacheBytes;
        int per = batch.shape().size();
        int step = cached ? Math.max(1, batch.size())
                : (int) Math.max(1, Math.min(CHUNK, cacheBytes / bytesPerImage));
        for (int from = 0; from < batch.size(); from += step) {
            int to = Math.min(batch.size(), from + step);
            float[] x = Arrays.copyOfRange(batch.images(), from * per, to * per);
            chunks.add(new Chunk(from, Arrays.copyOfRange(batch.labels(), from, to), network.input(x, to - from)));
        }
    }

    /** Whether the live values of the whole batch are cached between calls (for tests). */
    boolean cachesValues() {
        return cachedValues;
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
     * Fused-program values of {@code c} for the current codes: the live ones when they are cached, else
     * only the logits. That is what loss, tentative losses and predictions need; gradients need every
     * float activation ({@link #activations}), which a float-path-only program shares instead of
     * recomputing the same tail a second time after each commit.
     */
    private Object[] fusedValues(Chunk c) {
        FusedProgram program = surface.fused();
        long[] now = currentVersions();
        if (!cachedValues) {
            return program.runFrom(fresh(c), 1, program.logitsOnly());
        }
        if (c.fused != null && c.fusedBy == program && Arrays.equals(now, c.fusedVersions)) {
            return c.fused;
        }
        if (program.floatPathOnly() && c.acts != null && Arrays.equals(now, c.versions)) {
            Object[] values = new Object[network.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = program.live(i) ? c.acts[i] : null;
            }
            c.fused = values;
        } else if (c.fused == null || c.fusedBy != program) {
            c.fused = program.runFrom(fresh(c), 1, program.live());
        } else {
            c.fused = program.runFrom(c.fused, firstChanged(now, c.fusedVersions), program.live());
        }
        c.fusedVersions = now;
        c.fusedBy = program;
        return c.fused;
    }

    private Object[] fresh(Chunk c) {
        Object[] values = new Object[network.size()];
        values[0] = c.input;
        return values;
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
            base.add(cachedValues ? fusedValues(c) : fresh(c));
        }
        int layer = patchableLayer(flips, program);
        float[] before = layer >= 0 ? ChannelPatch.codes(surface.weighted(layer), flips) : null;
        for (BitFlip f : flips) {
            surface.toggle(f);
        }
        try {
            double total = 0;
            for (int k = 0; k < chunks.size(); k++) {
                Chunk c = chunks.get(k);
                Object[] values = layer >= 0 ? patchedTail(c, layer, flips, before, program)
                        : program.runFrom(base.get(k), cachedValues ? from : 1, program.logitsOnly());
                total += SoftmaxCrossEntropy.loss(program.logits(values), c.labels) * c.labels.length;
            }
            return total / batch.size();
        } finally {
            for (int k = flips.size() - 1; k >= 0; k--) {
                surface.toggle(flips.get(k));
            }
        }
    }

    /**
     * The layer of {@code flips} when its output can be patched instead of recomputed: all flips in one
     * conv or linear layer, the program on the float path, and every chunk's activations current (as they
     * are right after the gradient pass of a bit-search iteration); else −1.
     */
    private int patchableLayer(List<BitFlip> flips, FusedProgram program) {
        int layer = flips.get(0).layer();
        if (!program.floatPathOnly() || !ChannelPatch.supports(surface.weighted(layer))) {
            return -1;
        }
        for (BitFlip f : flips) {
            if (f.layer() != layer) {
                return -1;
            }
        }
        long[] now = currentVersions();
        for (Chunk c : chunks) {
            if (c.acts == null || !Arrays.equals(now, c.versions)) {
                return -1;
            }
        }
        return layer;
    }

    /** Values up to the logits with the flipped layer's output patched ({@code before}: codes before the flips). */
    private Object[] patchedTail(Chunk c, int layer, List<BitFlip> flips, float[] before, FusedProgram program) {
        WeightedLayer wl = surface.weighted(layer);
        ChannelPatch.Changes changes = ChannelPatch.changes(flips, before, ChannelPatch.codes(wl, flips));
        int node = surface.nodeOfLayer(layer);
        Object[] values = Arrays.copyOf(c.acts, c.acts.length, Object[].class);
        Tensor in = c.acts[network.nodes().get(node).inputs()[0]];
        values[node] = ChannelPatch.apply(wl, in, c.acts[node], changes);
        patched++;
        return program.runFrom(values, node + 1, program.logitsOnly());
    }

    /** How many tentative losses patched the flipped layer's output instead of recomputing it (for tests). */
    int patchedLosses() {
        return patched;
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
