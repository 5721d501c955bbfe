package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.layer.ChannelsLastLayers;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.ConvBuffers;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Nd4jKernels;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.xnor.PackedSigns;

/**
 * The steps of a {@link FusedProgram}. Each computes the value of node {@link Step#out()} — a
 * {@link Tensor}, an {@link NhwcTensor} for an image node of a float-path program, or {@link PackedSigns}
 * for a sign node read only by binary convolutions — from values of earlier nodes; nodes a step absorbs
 * get no value.
 */
final class FusedSteps {
    private FusedSteps() {
    }

    interface Step {
        /** The node whose value this step writes. */
        int out();

        /** The nodes whose values {@link #run} reads. */
        int[] reads();

        void run(Object[] values);
    }

    /**
     * One node on its float path (XNOR-popcount for a binary layer with a binary kernel, as before); a
     * channels-last input is transposed back to NCHW.
     */
    record Generic(int out, Layer layer, int[] inputs, BinaryKernel kernel) implements Step {
        @Override
        public int[] reads() {
            return inputs.clone();
        }

        @Override
        public void run(Object[] values) {
            Tensor[] in = new Tensor[inputs.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = NhwcTensor.nchw(values[inputs[k]]);
            }
            values[out] = kernel != null ? ((WeightedLayer) layer).finish(kernel.preActivation(in[0]), false)
                    : layer.forward(in, false);
        }
    }

    /**
     * One image node of a float-path program computed channels-last ({@link ChannelsLastLayers}): its value
     * is an {@link NhwcTensor} (global average pooling's an N×C {@link Tensor}), its inputs either layout.
     * With an {@code activation}, {@code out} is the activation node, applied in the same sweep, and the
     * layer's own node (read by nothing else) gets no value.
     */
    record ChannelsLast(int out, Layer layer, int[] inputs, Layer activation, ConvBuffers buffers) implements Step {
        @Override
        public int[] reads() {
            return inputs.clone();
        }

        @Override
        public void run(Object[] values) {
            Object[] in = new Object[inputs.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = values[inputs[k]];
            }
            values[out] = ChannelsLastLayers.forward(layer, in, activation, buffers);
        }
    }

    /**
     * {@code steps} (all {@link Generic}, one per node in order) with every node that {@link ChannelsLastLayers}
     * handles and whose inputs are images run channels-last: the convs of a tail then hand each other NHWC
     * data directly. A batch norm or add read only by an activation takes it into its sweep. A binary layer
     * with an XNOR kernel stays generic. Convolutions share {@code buffers}.
     */
    static List<Step> channelsLast(List<Step> steps, Network network, ConvBuffers buffers) {
        int[] readers = new int[network.size()];
        int[] reader = new int[network.size()];
        for (int i = 1; i < network.size(); i++) {
            for (int j : network.nodes().get(i).inputs()) {
                readers[j]++;
                reader[j] = i;
            }
        }
        List<Step> out = new ArrayList<>(steps.size());
        boolean[] absorbed = new boolean[network.size()];
        for (Step s : steps) {
            Generic g = (Generic) s;
            if (absorbed[g.out()]) {
                continue;
            }
            boolean images = true;
            for (int j : g.inputs()) {
                images &= network.nodes().get(j).shape().length == 3;
            }
            if (g.kernel() != null || !images || !ChannelsLastLayers.supports(g.layer())) {
                out.add(g);
                continue;
            }
            int next = readers[g.out()] == 1 ? reader[g.out()] : -1;
            Layer act = next > 0 ? network.nodes().get(next).layer() : null;
            if (act != null && ChannelsLastLayers.fuses(g.layer(), act)) {
                absorbed[next] = true;
                out.add(new ChannelsLast(next, g.layer(), g.inputs(), act, buffers));
            } else {
                out.add(new ChannelsLast(g.out(), g.layer(), g.inputs(), null, buffers));
            }
        }
        return out;
    }

    /** A sign node whose readers are all binary convs: packs its input's signs, no ±1 floats. */
    record PackSign(int out, int input) implements Step {
        @Override
        public int[] reads() {
            return new int[] {input};
        }

        @Override
        public void run(Object[] values) {
            Tensor x = (Tensor) values[input];
            values[out] = PackedSigns.ofSigns(x.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    /**
     * Binary conv → BN → [act] → [max-pool] → sign, in bits: the popcount sum y is +1 iff it lies in the
     * channel's interval (tabulated from the real layers), then pooling ANDs the −1 bits.
     */
    record Decide(int out, int input, BinaryKernel kernel, int[] lo, int[] hi, int[] pool) implements Step {
        @Override
        public int[] reads() {
            return new int[] {input};
        }

        @Override
        public void run(Object[] values) {
            PackedSigns r = kernel.packed().forwardSigns((PackedSigns) values[input], lo, hi);
            values[out] = pool == null ? r : r.maxPool(pool[0], pool[1]);
        }
    }

    /**
     * Binary conv → BN → [act] → [k×k max-pool, stride k] with a float result: a table lookup per output
     * instead of three passes, and the pool folded in ({@code pool} 0: none).
     */
    record Table(int out, int input, BinaryKernel kernel, float[] table, int[] order, int pool) implements Step {
        /** {@code order}: the table's {@link org.bfabench.nn.xnor.PackedConv2d#tableOrder}, found once. */
        static Table of(int out, int input, BinaryKernel kernel, float[] table, int pool) {
            return new Table(out, input, kernel, table, kernel.packed().tableOrder(table), pool);
        }

        @Override
        public int[] reads() {
            return new int[] {input};
        }

        @Override
        public void run(Object[] values) {
            PackedSigns in = (PackedSigns) values[input];
            var conv = kernel.packed();
            int oh = conv.outHeight(in.height());
            int ow = conv.outWidth(in.width());
            int c = conv.outChannels();
            if (pool > 0) {
                float[] o = new float[in.n() * c * (oh / pool) * (ow / pool)];
                conv.forwardTableMaxPool(in, table, order, pool, o);
                values[out] = new Tensor(o, in.n(), c, oh / pool, ow / pool);
            } else {
                float[] o = new float[in.n() * c * oh * ow];
                conv.forwardTable(in, table, o);
                values[out] = new Tensor(o, in.n(), c, oh, ow);
            }
        }
    }

    /** A binary conv on packed input with no batch norm after it: exact sums, then the layer's scale. */
    record Sums(int out, int input, Conv2d layer, BinaryKernel kernel) implements Step {
        @Override
        public int[] reads() {
            return new int[] {input};
        }

        @Override
        public void run(Object[] values) {
            PackedSigns in = (PackedSigns) values[input];
            var conv = kernel.packed();
            int oh = conv.outHeight(in.height());
            int ow = conv.outWidth(in.width());
            float[] o = new float[in.n() * conv.outChannels() * oh * ow];
            conv.forwardSums(in, o);
            values[out] = layer.finish(new Tensor(o, in.n(), conv.outChannels(), oh, ow), false);
        }
    }

    /**
     * A conv on real input (the first layer) → BN → [act] → [max-pool] → sign: the conv runs on its float
     * path, then each pre-activation is compared with its channel's threshold (found by bisection on the
     * real layers) and packed in one pass. A batch with a pre-activation outside the thresholds' domain
     * takes the chain's float layers instead.
     */
    record RealInputDecide(int out, int input, Conv2d layer, int[] lo, int[] hi, int domainLo, int domainHi,
            float bound, float[] sign, float[] threshold, int[] pool, List<Layer> chain, ConvBuffers buffers)
            implements Step {

        @Override
        public int[] reads() {
            return new int[] {input};
        }

        /**
         * Key intervals [lo, hi] within [domainLo, domainHi] are rays or all/nothing (the chain is monotone),
         * which a float comparison {@code sign·v >= threshold} reproduces except when a boundary falls
         * between −0 and +0; then {@code sign} is null and the key comparison is used.
         */
        static RealInputDecide of(int out, int input, Conv2d layer, int[] lo, int[] hi, float bound, int[] pool,
                List<Layer> chain, ConvBuffers buffers) {
            int domainLo = PackedSigns.orderKey(-bound);
            int domainHi = PackedSigns.orderKey(bound);
            int channels = lo.length;
            float[] sign = new float[channels];
            float[] threshold = new float[channels];
            for (int c = 0; c < channels; c++) {
                sign[c] = 1f;
                if (lo[c] > hi[c]) {
                    threshold[c] = Float.POSITIVE_INFINITY; // nothing is +1
                } else if (lo[c] == domainLo && hi[c] == domainHi) {
                    threshold[c] = Float.NEGATIVE_INFINITY; // everything is +1
                } else if (hi[c] == domainHi && lo[c] != PackedSigns.orderKey(0f)) {
                    threshold[c] = PackedSigns.fromOrderKey(lo[c]); // v >= t
                } else if (lo[c] == domainLo && hi[c] != PackedSigns.orderKey(-0f)) {
                    sign[c] = -1f; // v <= t as −v >= −t
                    threshold[c] = -PackedSigns.fromOrderKey(hi[c]);
                } else {
                    sign = null; // boundary between −0 and +0 (or not a ray): compare keys
                    break;
                }
            }
            return new RealInputDecide(out, input, layer, lo, hi, domainLo, domainHi, bound, sign, threshold, pool,
                    chain, buffers);
        }

        @Override
        public void run(Object[] values) {
            Tensor x = (Tensor) values[input];
            PackedSigns r;
            if (sign != null && x.rank() == 4 && x.dim(1) == layer.inChannels()) {
                // thresholds straight off the native NHWC output: no NCHW heap copy of the whole output
                int n = x.dim(0);
                int c = layer.outChannels();
                int oh = Nd4jKernels.outSize(x.dim(2), layer.kernel(), layer.stride(), layer.padding());
                int ow = Nd4jKernels.outSize(x.dim(3), layer.kernel(), layer.stride(), layer.padding());
                r = Nd4jKernels.conv2dReadChannelsLast(x, layer.weights().base(false), c, layer.kernel(),
                        layer.stride(), layer.padding(), buffers,
                        nhwc -> PackedSigns.ofThresholdsChannelsLast(nhwc, n, c, oh, ow, sign, threshold, bound));
                if (r != null) {
                    values[out] = pool == null ? r : r.maxPool(pool[0], pool[1]);
                    return;
                }
            }
            Tensor pre = layer.preActivation(x, false);
            r = sign != null
                    ? PackedSigns.ofThresholds(pre.data(), pre.dim(0), pre.dim(1), pre.dim(2), pre.dim(3), sign,
                            threshold, bound)
                    : PackedSigns.ofKeyIntervals(pre.data(), pre.dim(0), pre.dim(1), pre.dim(2), pre.dim(3), lo, hi,
                            domainLo, domainHi);
            if (r != null) {
                values[out] = pool == null ? r : r.maxPool(pool[0], pool[1]);
                return;
            }
            Tensor t = layer.finish(pre, false);
            for (Layer l : chain) {
                t = l.forward(new Tensor[] {t}, false);
            }
            values[out] = PackedSigns.ofSigns(t.data(), t.dim(0), t.dim(1), t.dim(2), t.dim(3));
        }
    }
}
