package org.bfabench.defenses.rabnn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bfabench.defenses.bnn.BnnNetworkBuilder;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.Shape;

/**
 * The Early-Growth candidate (ALGORITHMS.md §3 step 1–2): the complete BNN with every binarized conv
 * widened by the growth factor, each width group carrying one {@link GumbelSigmoidMask} whose first
 * base-width channels start on.
 */
final class GrowingBnnBuilder extends BnnNetworkBuilder {
    private final double factor;
    private final double tau;
    private final double maskL1;
    private final SplittableRandom maskInit;
    private final Map<String, GumbelSigmoidMask> masks = new LinkedHashMap<>();
    private final Map<String, Integer> baseWidths = new LinkedHashMap<>();
    private String pendingGroup;

    GrowingBnnBuilder(Shape input, long seed, double factor, double tau, double maskL1) {
        super(input, seed);
        this.factor = factor;
        this.tau = tau;
        this.maskL1 = maskL1;
        // a stream of its own, so adding masks does not shift the weight initialisation
        this.maskInit = new SplittableRandom(seed ^ 0x6D61736BL);
    }

    static int widened(int base, double factor) {
        return Math.max(base, (int) Math.floor(base * factor + 1e-9));
    }

    @Override
    protected int convWidth(String name, ConvSpec spec) {
        String group = spec.widthGroup();
        Integer known = baseWidths.putIfAbsent(group, spec.outChannels());
        if (known != null && known != spec.outChannels()) {
            throw new BenchException("width group '" + group + "' has base widths " + known + " and "
                    + spec.outChannels() + "; fix the architecture");
        }
        pendingGroup = group;
        return widened(spec.outChannels(), factor);
    }

    @Override
    protected WeightKind convWeights(String name, float[] init, int outChannels, boolean first) {
        ChannelSignWeights inner = new ChannelSignWeights(init, outChannels, true);
        GumbelSigmoidMask mask = masks.get(pendingGroup);
        boolean owner = mask == null;
        if (owner) {
            mask = new GumbelSigmoidMask(outChannels, baseWidths.get(pendingGroup), tau, maskInit);
            masks.put(pendingGroup, mask);
        }
        return new MaskedChannelSignWeights(inner, mask, owner, maskL1);
    }

    /** Mask per width group, in network order. */
    Map<String, GumbelSigmoidMask> masks() {
        return masks;
    }

    /** Base width per width group. */
    Map<String, Integer> baseWidths() {
        return baseWidths;
    }
}
