package org.bfabench.nn.surface;

import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.spi.BitFlip;

/**
 * The output of a conv or linear layer after some of its codes changed, from its output before: a code
 * change Δ of weight (o, c, kh, kw) adds Δ·scale_o·x to output channel o only (the layer computes
 * (x ⊛ base)·scale + bias, linear in each code). The "one output channel" update of the flipped
 * layer (ALGORITHMS.md §4): N·OH·OW multiply-adds per changed code instead of a whole convolution. Equal
 * to recomputing the layer to float rounding (the sums are added in another order), not bit-identical.
 */
final class ChannelPatch {
    private ChannelPatch() {
    }

    /** Whether {@link #apply} handles {@code layer}. */
    static boolean supports(WeightedLayer layer) {
        return layer instanceof Conv2d || layer instanceof Linear;
    }

    /** Code changes: weight {@code indices[k]} changed by {@code deltas[k]}, each weight once. */
    record Changes(int[] indices, float[] deltas) {
    }

    /** The codes of {@code flips}' weights in {@code layer}, in flip order. */
    static float[] codes(WeightedLayer layer, List<BitFlip> flips) {
        float[] base = layer.weights().base(false);
        float[] codes = new float[flips.size()];
        for (int k = 0; k < codes.length; k++) {
            codes[k] = base[flips.get(k).index()];
        }
        return codes;
    }

    /** The changes of {@link #codes} from {@code before} to {@code after}: a weight flipped twice counts once. */
    static Changes changes(List<BitFlip> flips, float[] before, float[] after) {
        int[] indices = new int[flips.size()];
        float[] deltas = new float[flips.size()];
        int m = 0;
        for (int k = 0; k < flips.size(); k++) {
            int index = flips.get(k).index();
            boolean seen = false;
            for (int j = 0; j < m; j++) {
                seen |= indices[j] == index;
            }
            if (!seen) { // before/after are the codes before the first and after the last flip
                indices[m] = index;
                deltas[m++] = after[k] - before[k];
            }
        }
        return new Changes(Arrays.copyOf(indices, m), Arrays.copyOf(deltas, m));
    }

    /** {@code out} (the layer's output for {@code in}) with {@code changes} applied; {@code out} is not modified. */
    static Tensor apply(WeightedLayer layer, Tensor in, Tensor out, Changes changes) {
        int[] indices = changes.indices();
        float[] deltas = changes.deltas();
        float[] r = out.data().clone();
        float[] scale = layer.weights().scale(false);
        float[] x = in.data();
        int outC = layer.outChannels();
        int fanIn = layer.fanIn();
        for (int k = 0; k < indices.length; k++) {
            int o = indices[k] / fanIn;
            float d = deltas[k] * (scale.length == 1 ? scale[0] : scale[o]);
            if (d == 0f) {
                continue;
            }
            if (layer instanceof Conv2d conv) {
                addConv(conv, x, in.dim(2), in.dim(3), r, out.dim(0), out.dim(2), out.dim(3), o, indices[k] % fanIn, d);
            } else {
                int c = indices[k] % fanIn;
                for (int n = 0, rows = out.dim(0); n < rows; n++) {
                    r[n * outC + o] += d * x[n * fanIn + c];
                }
            }
        }
        return new Tensor(r, out.shape());
    }

    /** Adds d·x[n, c, i·s + kh − p, j·s + kw − p] to output (n, o, i, j) for in-range taps; {@code tap} = (c, kh, kw). */
    private static void addConv(Conv2d conv, float[] x, int h, int w, float[] r, int n, int oh, int ow, int o, int tap,
            float d) {
        int k = conv.kernel();
        int c = tap / (k * k);
        int kh = tap / k % k;
        int kw = tap % k;
        int s = conv.stride();
        int p = conv.padding();
        int outC = conv.outChannels();
        int inC = conv.inChannels();
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                int ii = i * s + kh - p;
                if (ii < 0 || ii >= h) {
                    continue;
                }
                int src = ((b * inC + c) * h + ii) * w;
                int dst = ((b * outC + o) * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    int jj = j * s + kw - p;
                    if (jj >= 0 && jj < w) {
                        r[dst + j] += d * x[src + jj];
                    }
                }
            }
        }
    }
}
