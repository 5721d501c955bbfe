package org.bfabench.defenses.common;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.WeightedLayer;

/**
 * The saved state of a frozen network as named float arrays: per weighted layer its stored codes and
 * frozen scale ({@code <layer>/codes}, {@code <layer>/scale}) and bias; per other layer its parameters and
 * buffers (batch-norm {@code gamma}, {@code beta}, {@code running_mean}, {@code running_var}). Latent
 * training weights are not part of a frozen model.
 */
public final class NetworkState {
    private NetworkState() {
    }

    public static Map<String, float[]> of(Network net) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Node n : net.nodes()) {
            if (n.layer() instanceof WeightedLayer wl) {
                wl.weights().frozenState().forEach((k, v) -> m.put(n.name() + "/" + k, v));
                for (Param p : wl.params()) {
                    if (p.name().equals("bias")) {
                        m.put(n.name() + "/bias", p.value().clone());
                    }
                }
            } else if (n.layer() != null) {
                for (Param p : n.layer().params()) {
                    m.put(n.name() + "/" + p.name(), p.value().clone());
                }
                for (Param p : n.layer().buffers()) {
                    m.put(n.name() + "/" + p.name(), p.value().clone());
                }
            }
        }
        return m;
    }

    /** Writes {@code state} into {@code net}; throws IllegalArgumentException naming the first mismatch. */
    public static void apply(Network net, Map<String, float[]> state) {
        Map<String, float[]> expected = of(net);
        if (!expected.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException("arrays " + state.keySet() + " do not match the network's " + expected.keySet());
        }
        for (Node n : net.nodes()) {
            if (n.layer() instanceof WeightedLayer wl) {
                Map<String, float[]> frozen = new LinkedHashMap<>();
                for (String k : wl.weights().frozenState().keySet()) {
                    frozen.put(k, state.get(n.name() + "/" + k));
                }
                wl.weights().loadFrozen(frozen);
                for (Param p : wl.params()) {
                    if (p.name().equals("bias")) {
                        copy(state.get(n.name() + "/bias"), p, n.name());
                    }
                }
            } else if (n.layer() != null) {
                for (Param p : n.layer().params()) {
                    copy(state.get(n.name() + "/" + p.name()), p, n.name());
                }
                for (Param p : n.layer().buffers()) {
                    copy(state.get(n.name() + "/" + p.name()), p, n.name());
                }
            }
        }
    }

    private static void copy(float[] src, Param p, String node) {
        if (src.length != p.value().length) {
            throw new IllegalArgumentException(node + "/" + p.name() + " has " + src.length + " values, expected "
                    + p.value().length);
        }
        System.arraycopy(src, 0, p.value(), 0, src.length);
    }
}
