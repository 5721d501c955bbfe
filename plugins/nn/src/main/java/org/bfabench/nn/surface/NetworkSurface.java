package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Sign;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.memory.BinaryMemory;
import org.bfabench.nn.memory.WeightMemory;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.WeightSnapshot;

/**
 * The {@link AttackSurface} of a {@link Network} whose weighted layers are frozen (ALGORITHMS.md §1, §4):
 * one attackable layer per conv/linear in network order. Every layer carries a modification counter so
 * evaluators know which cached activations a flip invalidated. Binary layers fed by a {@link Sign} node
 * are evaluated with the XNOR-popcount kernel; loss and predictions run the {@link FusedProgram}, which
 * keeps complete-BNN blocks in bits end to end (gradients still need every float activation).
 */
public final class NetworkSurface implements AttackSurface {
    private final Network network;
    private final List<WeightedLayer> layers;
    private final List<AttackableLayer> descriptors;
    private final int[] nodeOfLayer;
    private final BinaryKernel[] kernelOfNode;
    private final long[] versions;
    private FusedProgram fused;

    public NetworkSurface(Network network) {
        this.network = network;
        this.layers = network.weightedLayers();
        this.descriptors = new ArrayList<>();
        this.nodeOfLayer = new int[layers.size()];
        this.kernelOfNode = new BinaryKernel[network.size()];
        this.versions = new long[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            WeightedLayer wl = layers.get(l);
            if (!wl.weights().frozen()) {
                wl.weights().freeze();
            }
            WeightMemory m = wl.weights().memory().orElseThrow(() -> new BenchException(
                    "layer " + wl.name() + " has float weights and no bit memory; it cannot be attacked"));
            descriptors.add(new AttackableLayer(wl.name(), m.bits(), m.size()));
            int node = network.nodeOf(wl);
            nodeOfLayer[l] = node;
            Node nd = network.nodes().get(node);
            Layer src = network.nodes().get(nd.inputs()[0]).layer();
            if (m instanceof BinaryMemory && src instanceof Sign) {
                kernelOfNode[node] = new BinaryKernel(wl);
            }
        }
    }

    public Network network() {
        return network;
    }

    @Override
    public List<AttackableLayer> layers() {
        return List.copyOf(descriptors);
    }

    private WeightMemory memory(int layer) {
        return layers.get(layer).weights().memory().orElseThrow();
    }

    @Override
    public int code(int layer, int index) {
        return memory(layer).code(index);
    }

    @Override
    public void flip(BitFlip flip) {
        toggle(flip);
        versions[flip.layer()]++;
    }

    /** Flips without marking the layer modified: used by evaluators for tentative flips they undo. */
    void toggle(BitFlip flip) {
        if (flip.layer() < 0 || flip.layer() >= layers.size()) {
            throw new IndexOutOfBoundsException("layer " + flip.layer() + " of " + layers.size());
        }
        WeightedLayer wl = layers.get(flip.layer());
        wl.weights().flip(flip.index(), flip.bit());
        BinaryKernel k = kernelOfNode[nodeOfLayer[flip.layer()]];
        if (k != null) {
            k.setWeight(flip.index(), wl.weights().memory().orElseThrow().code(flip.index()) > 0);
        }
    }

    @Override
    public boolean hasGradients() {
        return true;
    }

    @Override
    public WeightSnapshot snapshot() {
        long[][] w = new long[layers.size()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = memory(l).snapshot();
        }
        return new NetworkSnapshot(this, w);
    }

    @Override
    public void restore(WeightSnapshot snapshot) {
        if (!(snapshot instanceof NetworkSnapshot s) || s.owner() != this) {
            throw new IllegalArgumentException("snapshot was not taken from this surface");
        }
        for (int l = 0; l < layers.size(); l++) {
            if (!Arrays.equals(memory(l).snapshot(), s.words()[l])) {
                memory(l).restore(s.words()[l]);
                layers.get(l).weights().reload();
                BinaryKernel k = kernelOfNode[nodeOfLayer[l]];
                if (k != null) {
                    k.reload();
                }
                versions[l]++;
            }
        }
    }

    @Override
    public BatchEvaluator evaluator(Batch batch) {
        return new IncrementalEvaluator(this, batch);
    }

    WeightedLayer weighted(int layer) {
        return layers.get(layer);
    }

    int layerCount() {
        return layers.size();
    }

    int nodeOfLayer(int layer) {
        return nodeOfLayer[layer];
    }

    long version(int layer) {
        return versions[layer];
    }

    /** Inference forward of nodes {@code from}… into a copy of {@code cached}, XNOR where possible. */
    Tensor[] forwardFrom(Tensor[] cached, int from) {
        Tensor[] acts = cached.clone();
        List<Node> nodes = network.nodes();
        for (int i = Math.max(1, from); i < nodes.size(); i++) {
            Node n = nodes.get(i);
            int[] ins = n.inputs();
            Tensor[] in = new Tensor[ins.length];
            for (int k = 0; k < ins.length; k++) {
                in[k] = acts[ins[k]];
            }
            BinaryKernel kernel = kernelOfNode[i];
            acts[i] = kernel != null
                    ? ((WeightedLayer) n.layer()).finish(kernel.preActivation(in[0]), false)
                    : n.layer().forward(in, false);
        }
        return acts;
    }

    /** The fused inference program, rebuilt when a scale or batch-norm state it was derived from changed. */
    FusedProgram fused() {
        if (fused == null || fused.stale()) {
            if (fused != null) {
                fused.closeBuffers();
            }
            fused = FusedProgram.of(network, kernelOfNode);
        }
        return fused;
    }

    /**
     * Frees the native convolution arrays the fused program keeps for reuse (up to 256 MB: a float-path
     * program's convs, or a complete BNN's first conv: 69 MB for vgg-small at batch 128); a later call
     * rebuilds the program and allocates afresh.
     */
    public void close() {
        if (fused != null) {
            fused.closeBuffers();
            fused = null;
        }
    }

    /** Predicted classes of {@code batch} with the current codes, in chunks. */
    public int[] predict(Batch batch) {
        try (BatchEvaluator e = evaluator(batch)) {
            return e.predictions();
        }
    }
}
