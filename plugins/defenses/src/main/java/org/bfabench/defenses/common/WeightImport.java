package org.bfabench.defenses.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.WeightArray;

/**
 * Loads externally trained float weights into an unfrozen network under PyTorch {@code state_dict} names
 * ({@code <layer>.weight}, {@code <layer>.bias}, {@code <bn>.running_mean}, …). PyTorch's layouts are
 * bfabench's (conv OIHW, linear out×in, both row-major), so arrays are copied without reordering. Float
 * weights go into the latent weights, which the caller then freezes with the defense's own weight kind —
 * the same step that ends training (ALGORITHMS.md §1 for the quantizer).
 */
public final class WeightImport {
    private WeightImport() {
    }

    /** Every array the network needs, in node order. */
    public static List<ParameterSpec> parameters(Network net) {
        List<ParameterSpec> specs = new ArrayList<>();
        for (Target t : targets(net)) {
            specs.add(t.spec());
        }
        return specs;
    }

    /** Copies {@code arrays} into {@code net} (not yet frozen); BenchException on a missing array or wrong shape. */
    public static void apply(Network net, Map<String, WeightArray> arrays) {
        List<Target> targets = targets(net);
        for (Target t : targets) {
            WeightArray a = arrays.get(t.spec().name());
            if (a == null) {
                throw new BenchException("weight import: no array for '" + t.spec().name() + "' (shape "
                        + t.spec().shapeString() + "); provide it or map it to a key of the file");
            }
            if (!Arrays.equals(a.shape(), t.spec().shape())) {
                throw new BenchException("weight import: '" + t.spec().name() + "' has shape " + a.shapeString()
                        + " but the model needs " + t.spec().shapeString() + "; check the architecture options or the mapping");
            }
        }
        for (Target t : targets) {
            float[] src = arrays.get(t.spec().name()).values();
            System.arraycopy(src, 0, t.destination(), 0, src.length);
        }
    }

    private record Target(ParameterSpec spec, float[] destination) {
    }

    private static List<Target> targets(Network net) {
        List<Target> out = new ArrayList<>();
        for (Node n : net.nodes()) {
            if (n.layer() instanceof WeightedLayer wl) {
                List<Param> latent = wl.weights().params();
                if (latent.size() != 1) {
                    throw new BenchException("weight import: layer '" + n.name() + "' uses " + wl.weights().kind()
                            + " weights with learned parts beyond the weight; import into a quantized or binary-weights defense");
                }
                int[] shape;
                if (wl instanceof Conv2d c) {
                    shape = new int[] {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()};
                } else if (wl instanceof Linear l) {
                    shape = new int[] {l.outChannels(), l.inFeatures()};
                } else {
                    throw new BenchException("weight import: layer '" + n.name() + "' is a "
                            + wl.getClass().getSimpleName() + ", which import does not know");
                }
                out.add(new Target(new ParameterSpec(n.name() + ".weight", shape, false, true), latent.get(0).value()));
                for (Param p : wl.params()) {
                    if (p.name().equals("bias")) {
                        out.add(new Target(new ParameterSpec(n.name() + ".bias", new int[] {p.value().length}, false, false),
                                p.value()));
                    }
                }
            } else if (n.layer() instanceof BatchNorm bn) {
                for (Param p : bn.params()) {
                    String torch = p.name().equals("gamma") ? "weight" : p.name().equals("beta") ? "bias" : p.name();
                    out.add(new Target(new ParameterSpec(n.name() + "." + torch, new int[] {bn.channels()}, false, false),
                            p.value()));
                }
                for (Param p : bn.buffers()) {
                    out.add(new Target(new ParameterSpec(n.name() + "." + p.name(), new int[] {bn.channels()}, true, false),
                            p.value()));
                }
            } else if (n.layer() != null && !(n.layer().params().isEmpty() && n.layer().buffers().isEmpty())) {
                throw new BenchException("weight import: layer '" + n.name() + "' (" + n.layer().getClass().getSimpleName()
                        + ") has state import does not know");
            }
        }
        return out;
    }
}
