package org.bfabench.nn.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bfabench.nn.layer.Gradients;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.SoftmaxCrossEntropy;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.Batch;

/**
 * A feed-forward network as a DAG of {@link Node}s in topological order; the last node yields logits.
 * Forward returns every node's activation (the cache backward and incremental evaluation need).
 */
public final class Network {
    private final List<Node> nodes;
    private final int[] inputShape;

    public Network(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        this.inputShape = nodes.get(0).shape();
        for (int i = 1; i < nodes.size(); i++) {
            for (int j : nodes.get(i).inputs()) {
                if (j >= i) {
                    throw new IllegalArgumentException("node " + nodes.get(i).name() + " reads a later node");
                }
            }
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    /** Conv and linear layers in network order (first conv … classifier). */
    public List<WeightedLayer> weightedLayers() {
        List<WeightedLayer> w = new ArrayList<>();
        for (Node n : nodes) {
            if (n.layer() instanceof WeightedLayer wl) {
                w.add(wl);
            }
        }
        return w;
    }

    /** Index of the node holding {@code layer}. */
    public int nodeOf(WeightedLayer layer) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).layer() == layer) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer not in network: " + layer.name());
    }

    public Tensor input(float[] images, int n) {
        int[] s = new int[inputShape.length + 1];
        s[0] = n;
        System.arraycopy(inputShape, 0, s, 1, inputShape.length);
        return new Tensor(images, s);
    }

    public Tensor[] forward(Tensor x, boolean training) {
        Tensor[] acts = new Tensor[nodes.size()];
        acts[0] = x;
        return forwardFrom(acts, 1, training);
    }

    /**
     * Recomputes nodes {@code from}… into a copy of {@code cached} (entries before {@code from} are reused;
     * {@code cached} itself is not modified).
     */
    public Tensor[] forwardFrom(Tensor[] cached, int from, boolean training) {
        Tensor[] acts = cached.clone();
        for (int i = Math.max(1, from); i < nodes.size(); i++) {
            acts[i] = nodes.get(i).layer().forward(inputsOf(acts, i), training);
        }
        return acts;
    }

    private Tensor[] inputsOf(Tensor[] acts, int i) {
        int[] ins = nodes.get(i).inputs();
        Tensor[] t = new Tensor[ins.length];
        for (int k = 0; k < ins.length; k++) {
            t[k] = acts[ins[k]];
        }
        return t;
    }

    public Tensor logits(Tensor[] acts) {
        return acts[acts.length - 1];
    }

    /**
     * Per-node backward results (null for nodes no gradient reaches and for the input). The input gradients
     * inside them are this pass's working arrays (handed on without copies and summed into at fan-out
     * points): read the parameter and code gradients, not those.
     */
    public Gradients[] backward(Tensor[] acts, Tensor gradLogits, boolean training) {
        Gradients[] result = new Gradients[nodes.size()];
        float[][] grads = new float[nodes.size()][];
        grads[nodes.size() - 1] = gradLogits.data().clone();
        for (int i = nodes.size() - 1; i >= 1; i--) {
            if (grads[i] == null) {
                continue;
            }
            Node node = nodes.get(i);
            Gradients g = node.layer().backward(inputsOf(acts, i), acts[i], new Tensor(grads[i], acts[i].shape()), training);
            result[i] = g;
            float[] gradOut = grads[i];
            grads[i] = null;
            int[] ins = node.inputs();
            for (int k = 0; k < ins.length; k++) {
                if (ins[k] == 0 || g.inputs()[k] == null) {
                    continue;
                }
                float[] gi = g.inputs()[k].data();
                if (grads[ins[k]] == null) {
                    // a layer returns fresh arrays or gradOut itself (Layer#backward), which this loop owns
                    // once the node is done: hand either over without a copy, but only once
                    grads[ins[k]] = gi == gradOut || !aliasesEarlier(g.inputs(), k) ? gi : gi.clone();
                    if (gi == gradOut) {
                        gradOut = null;
                    }
                } else {
                    float[] acc = grads[ins[k]];
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] += gi[j];
                    }
                }
            }
        }
        return result;
    }

    /** Whether input gradient {@code k}'s array was already returned for an earlier input of the same node. */
    private static boolean aliasesEarlier(Tensor[] inputs, int k) {
        for (int j = 0; j < k; j++) {
            if (inputs[j] != null && inputs[j].data() == inputs[k].data()) {
                return true;
            }
        }
        return false;
    }

    /** Trainable parameters by qualified name {@code node/param}, in node order. */
    public Map<String, Param> params() {
        Map<String, Param> m = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.layer() != null) {
                for (Param p : n.layer().params()) {
                    m.put(n.name() + "/" + p.name(), p);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Non-trainable state (batch-norm running statistics) by qualified name. */
    public Map<String, Param> buffers() {
        Map<String, Param> m = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.layer() != null) {
                for (Param p : n.layer().buffers()) {
                    m.put(n.name() + "/" + p.name(), p);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Inference-mode logits of {@code batch}, computed in chunks so large splits stay within memory. */
    public Tensor logits(Batch batch, int chunk) {
        int n = batch.size();
        int per = batch.shape().size();
        float[] all = null;
        int k = 0;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            float[] x = java.util.Arrays.copyOfRange(batch.images(), from * per, to * per);
            Tensor out = logits(forward(input(x, to - from), false));
            k = out.dim(1);
            if (all == null) {
                all = new float[n * k];
            }
            System.arraycopy(out.data(), 0, all, from * k, out.size());
        }
        return new Tensor(all == null ? new float[0] : all, n, k);
    }

    public int[] predict(Batch batch) {
        return SoftmaxCrossEntropy.argmax(logits(batch, 500));
    }
}
