package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.ConvBuffers;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Pool2d;
import org.bfabench.nn.layer.Sign;

/**
 * Builds a {@link FusedProgram}'s steps: pattern-matches the complete-BNN blocks (RA-BNN, Rakin et al.
 * 2021, §3; ALGORITHMS.md §2) into bit-level steps and leaves every other node on its float path. Every
 * decision is read off the network's own layers; the arrays a derived table was read from are registered
 * with {@code watched}, so the program knows when it is stale. One instance per build.
 */
final class FusedProgramBuilder {
    private final List<Node> nodes;
    private final BinaryKernel[] kernels;
    private final WatchedArrays watched;
    private final ConvBuffers convBuffers;
    private final List<List<Integer>> consumers = new ArrayList<>();
    private final boolean[] absorbed;

    FusedProgramBuilder(Network network, BinaryKernel[] kernels, WatchedArrays watched, ConvBuffers convBuffers) {
        this.nodes = network.nodes();
        this.kernels = kernels;
        this.watched = watched;
        this.convBuffers = convBuffers;
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
        watched.add(() -> conv.weights().scale(false));
        tail.forEach(watched::addLayer);
    }
}
