package org.bfabench.nn.surface;

import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.ConvBuffers;
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
    /** The scale and batch-norm arrays the derived tables were read from. */
    private final WatchedArrays watched = new WatchedArrays();
    private final LiveValues liveValues;
    private final boolean floatPathOnly;
    private final ConvBuffers convBuffers = new ConvBuffers(CONV_BUFFER_BYTES, HEAP_ARRAY_BYTES);
    /** Conv → batch norm [→ add] chains of a float-path program, run as one pass where a run allows. */
    private final ConvChains chains;

    private FusedProgram(Network network, BinaryKernel[] kernelOfNode) {
        this.size = network.size();
        List<FusedSteps.Step> built = new FusedProgramBuilder(network, kernelOfNode, watched, convBuffers).build();
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
        return watched.changed();
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
}
