package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.ConvBuffers;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Pool2d;
import org.bfabench.nn.layer.Sign;
import org.bfabench.nn.tensor.FloatArrays;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;

/**
 * Inference of a frozen network with the complete-BNN blocks (RA-BNN, Rakin et al. 2021, §3;
 * ALGORITHMS.md §2: conv → BN → Hardtanh → [max-pool] → sign → next binary conv) kept in bits end to end:
 * a binary conv's popcount sums go straight to the next layer's packed sign bits through per-channel
 * intervals, max-pooling of signs is an AND of bits, and the first conv's real pre-activations are
 * thresholded and packed in one pass. Everything else runs node by node on the float path; in a program
 * with no such block (quantized and binary-weights networks, {@link #floatPathOnly()}) the image nodes run
 * channels-last ({@link FusedSteps.ChannelsLast}), so a tail's convolutions pass NHWC data to each other
 * instead of transposing around every one, with the same floats.
 *
 * <p>Exactness: every decision is read off the network's own layers (see {@link ChannelMaps}; a max-pool
 * contributes its own kernel and stride), so the predictions and every float value this program produces
 * are bit-identical to the float path's. The derived tables depend on scales and batch-norm state, which
 * are watched: {@link #stale()} says when they changed and the program must be rebuilt. Weight flips need no rebuild:
 * the binary kernels are updated by the surface.
 */
final class FusedProgram {
    /**
     * Bound of the native conv arrays a program keeps for reuse (see {@link ConvBuffers}): a float-path
     * program's convs, or a complete BNN's first conv.
     */
    static final long CONV_BUFFER_BYTES = 256L << 20;
    /**
     * Bound of the heap arrays it keeps for reuse: a tail of a batch of 128 resnet20 CIFAR images needs
     * about 32 MB of them at once, a 500-image evaluation chunk about 128 MB; the launcher's heap is 3 GB
     * and each evaluator may cache up to 768 MB, so the pool stays well below that.
     */
    static final long HEAP_ARRAY_BYTES = 128L << 20;
    private final List<FusedSteps.Step> steps;
    private final int size;
    private final List<Supplier<float[]>> watched = new ArrayList<>();
    private final List<float[]> copies = new ArrayList<>();
    private final LiveValues liveValues;
    private final boolean floatPathOnly;
    private final ConvBuffers convBuffers = new ConvBuffers(CONV_BUFFER_BYTES, HEAP_ARRAY_BYTES);
    /** Conv → batch norm [→ add] chains of a float-path program, run as one pass where a run allows. */
    private final ConvChains chains;

    private FusedProgram(Network network, BinaryKernel[] kernelOfNode) {
        this.size = network.size();
        List<FusedSteps.Step> built = new Builder(network, kernelOfNode).build();
        this.floatPathOnly = built.stream().allMatch(s -> s instanceof FusedSteps.Generic);
        // a float-path program's image nodes run channels-last, so its convs skip the NCHW round trips
        this.steps = floatPathOnly ? FusedSteps.channelsLast(built, network, convBuffers) : built;
        this.liveValues = new LiveValues(network, steps);
        this.chains = new ConvChains(steps, liveValues);
    }

    /** Whether node {@code i}'s value is among those {@link #live()} keeps. */
    boolean live(int i) {
        return liveValues.live()[i];
    }

    /** Keep-mask for {@link #runFrom(Object[], int, boolean[])}: what a re-run from any weighted layer needs. */
    boolean[] live() {
        return liveValues.live();
    }

    /** Keep-mask for {@link #runFrom(Object[], int, boolean[])}: the logits only. */
    boolean[] logitsOnly() {
        return liveValues.logitsOnly();
    }

    /**
     * Whether every step is a node on its float path, so the values equal {@link NetworkSurface#forwardFrom}'s
     * (image values as {@link org.bfabench.nn.tensor.NhwcTensor}s: the same floats, channels-last).
     */
    boolean floatPathOnly() {
        return floatPathOnly;
    }

    static FusedProgram of(Network network, BinaryKernel[] kernelOfNode) {
        return new FusedProgram(network, kernelOfNode);
    }

    /** Bytes of native conv arrays kept for reuse (for tests). */
    long idleBufferBytes() {
        return convBuffers.idleBytes();
    }

    /** The heap arrays kept for reuse (for tests). */
    FloatArrays heapArrays() {
        return convBuffers.heap();
    }

    /** Frees the arrays kept for reuse, when this program is replaced or its surface closed. */
    void closeBuffers() {
        convBuffers.close();
    }

    /** Whether a scale or batch-norm array a derived table was read from has changed since. */
    boolean stale() {
        for (int i = 0; i < watched.size(); i++) {
            if (!Arrays.equals(watched.get(i).get(), copies.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Values of every node for {@code input}. */
    Object[] run(Tensor input) {
        Object[] values = new Object[size];
        values[0] = input;
        return runFrom(values, 1);
    }

    /** Recomputes every step writing node {@code from} or later into a copy of {@code cached}. */
    Object[] runFrom(Object[] cached, int from) {
        return runFrom(cached, from, null);
    }

    /**
     * {@link #runFrom(Object[], int)} that drops every value not in {@code keep} (null: keep all) as soon
     * as its last reader has run, so a long tail never holds all of its activations at once.
     */
    Object[] runFrom(Object[] cached, int from, boolean[] keep) {
        Object[] values = cached.clone();
        boolean[] written = new boolean[size];
        for (int k = 0; k < steps.size(); k++) {
            FusedSteps.Step s = steps.get(k);
            if (s.out() < from) {
                continue;
            }
            int span = chains.span(k, keep);
            if (span == 1) {
                s.run(values);
            } else {
                chains.run(k, span, values, convBuffers);
            }
            int last = k + span - 1;
            written[steps.get(last).out()] = true;
            if (keep != null) {
                for (int i = k; i <= last; i++) {
                    for (int j : steps.get(i).reads()) {
                        if (liveValues.lastRead(j) == i && !keep[j]) {
                            Object dead = values[j];
                            values[j] = null;
                            if (written[j]) {
                                recycle(dead, values, cached);
                            }
                        }
                    }
                }
            }
            for (int i = k; i < last; i++) {
                values[steps.get(i).out()] = null; // never computed: any value there is a stale cached one
            }
            k = last;
        }
        if (keep != null) {
            for (int j = 0; j < size; j++) {
                if (!keep[j]) {
                    values[j] = null;
                }
            }
        }
        return values;
    }

    /** Gives the array of {@code dead}, a value this run wrote, to the heap pool when nothing else holds it. */
    private void recycle(Object dead, Object[] values, Object[] cached) {
        if (floatPathOnly) {
            DeadValues.recycle(dead, values, cached, convBuffers.heap());
        }
    }

    Tensor logits(Object[] values) {
        return NhwcTensor.nchw(values[size - 1]);
    }

    /** Number of steps (for tests: fewer than nodes once blocks are fused). */
    int stepCount() {
        return steps.size();
    }

    /** Number of steps that run channels-last (for tests). */
    int channelsLastSteps() {
        return (int) steps.stream().filter(s -> s instanceof FusedSteps.ChannelsLast).count();
    }

    private void watch(Supplier<float[]> source) {
        watched.add(source);
        copies.add(source.get().clone());
    }

    private void watchLayer(Layer l) {
        for (int k = 0; k < l.params().size(); k++) {
            int i = k;
            watch(() -> l.params().get(i).value());
        }
        for (int k = 0; k < l.buffers().size(); k++) {
            int i = k;
            watch(() -> l.buffers().get(i).value());
        }
    }

    /** Pattern-matches the blocks; one instance per build. */
    private final class Builder {
        private final List<Node> nodes;
        private final BinaryKernel[] kernels;
        private final List<List<Integer>> consumers = new ArrayList<>();
        private final boolean[] absorbed;

        Builder(Network network, BinaryKernel[] kernels) {
            this.nodes = network.nodes();
            this.kernels = kernels;
            this.absorbed = new boolean[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                consumers.add(new ArrayList<>());
            }
            for (int i = 1; i < nodes.size(); i++) {
                for (int j : nodes.get(i).inputs()) {
                    consumers.get(j).add(i);
                }
            }
        }

        private Layer layer(int i) {
            return nodes.get(i).layer();
        }

        private int sole(int i) {
            return consumers.get(i).size() == 1 ? consumers.get(i).get(0) : -1;
        }

        /** A binary conv whose input is a sign node: it can read packed signs. */
        private boolean packedConv(int i) {
            return kernels[i] != null && kernels[i].packed() != null;
        }

        /** A sign node read only by packed convs: its value can be bits. */
        private boolean packedSign(int i) {
            return i > 0 && layer(i) instanceof Sign && !consumers.get(i).isEmpty()
                    && consumers.get(i).stream().allMatch(this::packedConv);
        }

        List<FusedSteps.Step> build() {
            List<FusedSteps.Step> out = new ArrayList<>();
            for (int i = 1; i < nodes.size(); i++) {
                if (absorbed[i]) {
                    continue;
                }
                FusedSteps.Step s = null;
                if (layer(i) instanceof Conv2d conv) {
                    s = chain(i, conv);
                } else if (packedSign(i)) {
                    s = new FusedSteps.PackSign(i, nodes.get(i).inputs()[0]);
                }
                out.add(s != null ? s : new FusedSteps.Generic(i, layer(i), nodes.get(i).inputs(), kernels[i]));
            }
            return out;
        }

        private void absorb(List<Integer> chainNodes, int out) {
            chainNodes.forEach(n -> absorbed[n] = true);
            absorbed[out] = true;
        }

        /** The fused step of conv node {@code w} and the nodes after it, or null for its generic step. */
        private FusedSteps.Step chain(int w, Conv2d conv) {
            int input = nodes.get(w).inputs()[0];
            int[] shape = nodes.get(w).shape();
            int channels = shape[0];
            int bn = sole(w);
            if (bn < 0 || !(layer(bn) instanceof BatchNorm)) {
                return packedConv(w) ? new FusedSteps.Sums(w, input, conv, kernels[w]) : null;
            }
            // tail: the per-element layers after the conv's scale (BN, then Hardtanh if present)
            List<Integer> tailNodes = new ArrayList<>(List.of(bn));
            int act = sole(bn);
            if (act >= 0 && layer(act) instanceof Hardtanh) {
                tailNodes.add(act);
            }
            int floatEnd = tailNodes.get(tailNodes.size() - 1);
            List<Layer> tail = tailNodes.stream().map(this::layer).toList();
            // then optionally a max-pool, then a sign read only by packed convs
            List<Integer> signNodes = new ArrayList<>(tailNodes);
            int next = sole(floatEnd);
            int[] pool = null;
            if (next >= 0 && layer(next) instanceof Pool2d p) {
                pool = p.isMax() ? new int[] {p.kernel(), p.stride()} : null;
                signNodes.add(next);
                next = pool == null ? -1 : sole(next);
            }
            int sign = next >= 0 && packedSign(next) ? next : -1;
            if (packedConv(w)) {
                int fanIn = kernels[w].packed().fanIn();
                float[] table = ChannelMaps.table(conv, tail, fanIn, channels);
                if (sign >= 0) {
                    int[][] iv = ChannelMaps.intervals(table, fanIn, channels, layer(sign), pool != null);
                    if (iv != null) {
                        watchChain(conv, tail);
                        absorb(signNodes, sign);
                        return new FusedSteps.Decide(sign, input, kernels[w], iv[0], iv[1], pool);
                    }
                }
                watchChain(conv, tail);
                if (pool != null && pool[0] == pool[1]) {
                    int poolNode = sole(floatEnd);
                    absorb(tailNodes, poolNode);
                    return FusedSteps.Table.of(poolNode, input, kernels[w], table, pool[0]);
                }
                absorb(tailNodes, floatEnd);
                return FusedSteps.Table.of(floatEnd, input, kernels[w], table, 0);
            }
            float[] scale = conv.weights().scale(false);
            if (sign < 0 || !tail.stream().allMatch(ChannelMaps::finite) || !ChannelMaps.allFinite(scale)) {
                return null;
            }
            float maxScale = 1f;
            for (float v : scale) {
                maxScale = Math.max(maxScale, Math.abs(v));
            }
            // |pre·scale| stays ≤ MAX/4 in the domain, so no step of the chain can turn it into a NaN
            float bound = Float.MAX_VALUE / 4f / maxScale;
            int[][] iv = ChannelMaps.keyIntervals(conv, tail, layer(sign), channels, bound);
            if (iv == null) {
                return null;
            }
            watchChain(conv, tail);
            absorb(signNodes, sign);
            List<Layer> floatChain = new ArrayList<>(signNodes.stream().map(this::layer).toList());
            floatChain.add(layer(sign));
            return FusedSteps.RealInputDecide.of(sign, input, conv, iv[0], iv[1], bound, pool, List.copyOf(floatChain),
                    convBuffers);
        }

        private void watchChain(Conv2d conv, List<Layer> tail) {
            watch(() -> conv.weights().scale(false));
            tail.forEach(FusedProgram.this::watchLayer);
        }
    }
}
