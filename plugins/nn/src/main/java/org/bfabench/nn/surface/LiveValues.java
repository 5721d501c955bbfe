package org.bfabench.nn.surface;

import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.WeightedLayer;

/**
 * Which node values of a {@link FusedProgram} an evaluator must keep to re-run the program from any
 * weighted layer (the only places a bit flip can change it, ALGORITHMS.md §4): the values before that
 * layer's node read by a step at or after it, and the logits. In a ResNet that is each block's input and
 * each conv's input, about a third of the activations, which lets a whole evaluation split stay cached.
 */
final class LiveValues {
    /** Per node, the index of the last step that reads its value (−1: none). */
    private final int[] lastRead;
    private final boolean[] live;
    private final boolean[] logitsOnly;

    LiveValues(Network network, List<FusedSteps.Step> steps) {
        int size = network.size();
        lastRead = new int[size];
        Arrays.fill(lastRead, -1);
        for (int k = 0; k < steps.size(); k++) {
            for (int j : steps.get(k).reads()) {
                lastRead[j] = k;
            }
        }
        live = new boolean[size];
        live[size - 1] = true;
        for (int cut = 1; cut < size; cut++) {
            if (!(network.nodes().get(cut).layer() instanceof WeightedLayer)) {
                continue;
            }
            for (FusedSteps.Step s : steps) {
                if (s.out() >= cut) {
                    for (int j : s.reads()) {
                        live[j] |= j < cut;
                    }
                }
            }
        }
        logitsOnly = new boolean[size];
        logitsOnly[size - 1] = true;
    }

    /** Index of the last step reading node {@code j}'s value, −1 if none does. */
    int lastRead(int j) {
        return lastRead[j];
    }

    /** Keep-mask: the values a re-run from any weighted layer reads, and the logits. */
    boolean[] live() {
        return live;
    }

    /** Keep-mask: the logits only. */
    boolean[] logitsOnly() {
        return logitsOnly;
    }

    /** Bytes of all node activations of one image (float32). */
    static long activationBytesPerImage(Network network) {
        long floats = 0;
        for (int i = 0; i < network.size(); i++) {
            floats += floatsOf(network, i);
        }
        return Math.max(1, 4 * floats);
    }

    /** Bytes of the values {@code program} keeps live, per image, counted as float32. */
    static long liveBytesPerImage(Network network, FusedProgram program) {
        long floats = 0;
        for (int i = 0; i < network.size(); i++) {
            floats += program.live(i) ? floatsOf(network, i) : 0;
        }
        return Math.max(1, 4 * floats);
    }

    private static long floatsOf(Network network, int node) {
        long n = 1;
        for (int d : network.nodes().get(node).shape()) {
            n *= d;
        }
        return n;
    }
}
