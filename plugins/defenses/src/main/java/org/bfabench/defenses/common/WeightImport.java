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
import org.bfabench.nn.memory.WeightMemory;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.WeightArray;

/**
 * Loads externally trained float weights into an unfrozen network under PyTorch {@code state_dict} names
 * ({@code <layer>.weight}, {@code <layer>.bias}, {@code <bn>.running_mean}, …). PyTorch's layouts are
 * bfabench's (conv OIHW, linear out×in, both row-major), so arrays are copied without reordering. Float
 * weights go into the latent weights, which the caller then freezes with the defense's own weight kind —
 * the same step that ends training (ALGORITHMS.md §1 for the quantizer) — or, for weights given as integer
 * codes plus a step, are stored as exactly those codes ({@link #applyAndFreeze}).
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
        check(targets(net), arrays);
        for (Target t : targets(net)) {
            float[] src = arrays.get(t.spec().name()).values();
            System.arraycopy(src, 0, t.destination(), 0, src.length);
        }
    }

    /**
     * Imports {@code arrays} into {@code net} and freezes it, storing the weights named in {@code steps} as
     * exactly the given integer codes with that step (ALGORITHMS.md §1: N-bit two's complement; for a
     * binary layer ±1, +1 stored as bit 1) instead of quantizing them. The other weights are frozen by the
     * layer's own weight kind, as after training. Every code is checked before anything is stored.
     */
    public static void applyAndFreeze(Network net, Map<String, WeightArray> arrays, Map<String, WeightArray> steps) {
        List<Target> targets = targets(net);
        check(targets, arrays);
        Map<String, Target> byName = new java.util.LinkedHashMap<>();
        targets.forEach(t -> byName.put(t.spec().name(), t));
        for (String name : steps.keySet()) {
            Target t = byName.get(name);
            if (t == null || t.layer() == null) {
                throw new BenchException("weight import: a step is given for '" + name + "', which is not an attackable"
                        + " weight of this model; give steps for '<layer>.weight' arrays only");
            }
        }
        for (Target t : targets) {
            float[] src = arrays.get(t.spec().name()).values();
            WeightArray step = steps.get(t.spec().name());
            if (step == null) {
                System.arraycopy(src, 0, t.destination(), 0, src.length);
            } else {
                // latent weights code·Δ: what a float export of the same model would hold
                float[] scale = scale(t, step);
                int perChannel = src.length / Math.max(1, t.spec().shape()[0]);
                for (int i = 0; i < src.length; i++) {
                    t.destination()[i] = src[i] * scale[scale.length == 1 ? 0 : i / perChannel];
                }
            }
        }
        for (WeightedLayer l : net.weightedLayers()) {
            l.weights().freeze();
        }
        for (Target t : targets) {
            WeightArray step = steps.get(t.spec().name());
            if (step != null) {
                WeightMemory memory = t.layer().weights().memory().orElseThrow();
                checkCodes(t.spec().name(), arrays.get(t.spec().name()).values(), memory.bits());
                t.layer().weights().loadFrozen(Map.of("codes", arrays.get(t.spec().name()).values(), "scale", scale(t, step)));
            }
        }
    }

    /** The step as the layer's scale: one value, or one per scale entry; finite and positive. */
    private static float[] scale(Target t, WeightArray step) {
        int entries = t.layer().weights().scale(false).length;
        float[] v = step.values();
        if (v.length != 1 && v.length != entries) {
            throw new BenchException("weight import: the step of '" + t.spec().name() + "' has " + v.length
                    + " values; give one (a scalar)" + (entries == 1 ? "" : " or " + entries + ", one per scale entry"));
        }
        for (float x : v) {
            if (!(x > 0f) || Float.isInfinite(x)) {
                throw new BenchException("weight import: the step of '" + t.spec().name() + "' is " + x
                        + "; it must be a positive finite number");
            }
        }
        float[] out = new float[entries];
        for (int i = 0; i < entries; i++) {
            out[i] = v[v.length == 1 ? 0 : i];
        }
        return out;
    }

    /** Every code an integer in the memory's range: [−2^(N−1), 2^(N−1) − 1], or ±1 for a 1-bit memory. */
    static void checkCodes(String name, float[] codes, int bits) {
        long min = bits == 1 ? -1 : -(1L << (bits - 1));
        long max = bits == 1 ? 1 : (1L << (bits - 1)) - 1;
        for (int i = 0; i < codes.length; i++) {
            float c = codes[i];
            boolean ok = c == Math.rint(c) && c >= min && c <= max && (bits != 1 || c != 0f);
            if (!ok) {
                String value = c == Math.rint(c) && !Float.isInfinite(c) ? Long.toString((long) c) : Float.toString(c);
                String range = bits == 1 ? "binary codes -1 or +1 (+1 is stored as bit 1, -1 as bit 0)"
                        : "the " + bits + "-bit two's-complement range [" + min + ", " + max + "]";
                throw new BenchException("weight import: code " + value + " at index " + i + " of '" + name
                        + "' is not in " + range + "; export the codes the model stores, or float weights without a step");
            }
        }
    }

    private static void check(List<Target> targets, Map<String, WeightArray> arrays) {
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
    }

    /** @param layer the weighted layer whose weight this is; null for biases and batch-norm state */
    private record Target(ParameterSpec spec, float[] destination, WeightedLayer layer) {
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
                out.add(new Target(new ParameterSpec(n.name() + ".weight", shape, false, true), latent.get(0).value(), wl));
                for (Param p : wl.params()) {
                    if (p.name().equals("bias")) {
                        out.add(new Target(new ParameterSpec(n.name() + ".bias", new int[] {p.value().length}, false, false),
                                p.value(), null));
                    }
                }
            } else if (n.layer() instanceof BatchNorm bn) {
                for (Param p : bn.params()) {
                    String torch = p.name().equals("gamma") ? "weight" : p.name().equals("beta") ? "bias" : p.name();
                    out.add(new Target(new ParameterSpec(n.name() + "." + torch, new int[] {bn.channels()}, false, false),
                            p.value(), null));
                }
                for (Param p : bn.buffers()) {
                    out.add(new Target(new ParameterSpec(n.name() + "." + p.name(), new int[] {bn.channels()}, true, false),
                            p.value(), null));
                }
            } else if (n.layer() != null && !(n.layer().params().isEmpty() && n.layer().buffers().isEmpty())) {
                throw new BenchException("weight import: layer '" + n.name() + "' (" + n.layer().getClass().getSimpleName()
                        + ") has state import does not know");
            }
        }
        return out;
    }
}
