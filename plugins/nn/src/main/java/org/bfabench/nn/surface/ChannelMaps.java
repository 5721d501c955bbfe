package org.bfabench.nn.surface;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.xnor.PackedSigns;

/**
 * What the per-channel chain {@code W.finish → BN → [act]} does to a conv's pre-activation, learnt by
 * running those very layers (inference mode) on probe tensors rather than re-deriving their float
 * formulas: whatever rounding the layers do, the tables and thresholds reproduce it exactly.
 *
 * <p>For a binary layer with binary input the pre-activation is an integer y in [−F, F] (F the fan-in),
 * so the chain is tabulated at every such y ({@link #table}); for a layer with real input it is any
 * float, and the sign of the chain's output is a monotone function of it (every step is a per-channel
 * affine map or a clip, each rounded monotonically), so the ±1 boundary is found by bisection over the
 * total order of floats ({@link #keyIntervals}). Both assume the layers act on each element alone,
 * which holds for scale, inference batch norm and activations.
 */
final class ChannelMaps {
    private ChannelMaps() {
    }

    /** Chain outputs at {@code pre} given as [rows][channels]; returns [rows][channels]. */
    static float[] apply(WeightedLayer conv, List<Layer> tail, float[] pre, int rows, int channels) {
        Tensor t = conv.finish(new Tensor(pre, rows, channels, 1, 1), false);
        for (Layer l : tail) {
            t = l.forward(new Tensor[] {t}, false);
        }
        return t.data();
    }

    /** {@code table[c·(2F+1) + y + F]} = the chain's output for integer pre-activation y, every |y| ≤ F. */
    static float[] table(WeightedLayer conv, List<Layer> tail, int fanIn, int channels) {
        int span = 2 * fanIn + 1;
        float[] pre = new float[span * channels];
        for (int i = 0; i < span; i++) {
            for (int c = 0; c < channels; c++) {
                pre[i * channels + c] = i - fanIn;
            }
        }
        float[] z = apply(conv, tail, pre, span, channels);
        float[] table = new float[z.length];
        for (int i = 0; i < span; i++) {
            for (int c = 0; c < channels; c++) {
                table[c * span + i] = z[i * channels + c];
            }
        }
        return table;
    }

    /**
     * Per channel, the interval {@code [lo, hi]} of y where {@code sign} maps the table's value to +1,
     * as {@code {lo[], hi[]}} (an empty set as lo = 1 > hi = 0); null when some channel's +1 set is not
     * an interval, or when {@code finiteOnly} and the table holds a NaN (max-pooling does not commute with
     * sign over NaN).
     */
    static int[][] intervals(float[] table, int fanIn, int channels, Layer sign, boolean finiteOnly) {
        int span = 2 * fanIn + 1;
        float[] s = sign.forward(new Tensor[] {new Tensor(table.clone(), table.length)}, false).data();
        int[] lo = new int[channels];
        int[] hi = new int[channels];
        for (int c = 0; c < channels; c++) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < span; i++) {
                if (finiteOnly && Float.isNaN(table[c * span + i])) {
                    return null;
                }
                if (s[c * span + i] > 0f) {
                    if (first < 0) {
                        first = i;
                    } else if (last != i - 1) {
                        return null;
                    }
                    last = i;
                }
            }
            lo[c] = first < 0 ? 1 : first - fanIn;
            hi[c] = first < 0 ? 0 : last - fanIn;
        }
        return new int[][] {lo, hi};
    }

    /**
     * Per channel, the interval of {@link PackedSigns#orderKey} keys of pre-activations in
     * {@code [keyOf(−bound), keyOf(bound)]} that the chain and {@code sign} map to +1, found by bisection
     * (monotone chain), as {@code {lo[], hi[]}}; null if the chain yields NaN at a probe.
     */
    static int[][] keyIntervals(WeightedLayer conv, List<Layer> tail, Layer sign, int channels, float bound) {
        int domainLo = PackedSigns.orderKey(-bound);
        int domainHi = PackedSigns.orderKey(bound);
        boolean[] atLo = positive(conv, tail, sign, constantKeys(channels, domainLo), channels);
        boolean[] atHi = positive(conv, tail, sign, constantKeys(channels, domainHi), channels);
        for (float v : new float[] {-1f, -0f, 0f, 1f}) {
            if (atLo == null || atHi == null || positive(conv, tail, sign, constantKeys(channels,
                    PackedSigns.orderKey(v)), channels) == null) {
                return null; // a NaN inside the chain: its sign would not commute with max-pooling
            }
        }
        // invariant per changing channel: s(a) = atLo, s(b) = atHi, a < b
        long[] a = new long[channels];
        long[] b = new long[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = domainLo;
            b[c] = domainHi;
        }
        while (true) {
            int[] mid = new int[channels];
            boolean any = false;
            for (int c = 0; c < channels; c++) {
                boolean open = atLo[c] != atHi[c] && b[c] - a[c] > 1;
                mid[c] = (int) (open ? a[c] + (b[c] - a[c]) / 2 : a[c]);
                any |= open;
            }
            if (!any) {
                break;
            }
            boolean[] s = positive(conv, tail, sign, mid, channels);
            if (s == null) {
                return null;
            }
            for (int c = 0; c < channels; c++) {
                if (atLo[c] != atHi[c] && b[c] - a[c] > 1) {
                    if (s[c] == atLo[c]) {
                        a[c] = mid[c];
                    } else {
                        b[c] = mid[c];
                    }
                }
            }
        }
        int[] lo = new int[channels];
        int[] hi = new int[channels];
        for (int c = 0; c < channels; c++) {
            if (atLo[c] == atHi[c]) {
                lo[c] = atLo[c] ? domainLo : 1;
                hi[c] = atLo[c] ? domainHi : 0;
            } else if (atHi[c]) {
                lo[c] = (int) b[c];
                hi[c] = domainHi;
            } else {
                lo[c] = domainLo;
                hi[c] = (int) a[c];
            }
        }
        return new int[][] {lo, hi};
    }

    private static int[] constantKeys(int channels, int key) {
        int[] k = new int[channels];
        java.util.Arrays.fill(k, key);
        return k;
    }

    private static boolean[] positive(WeightedLayer conv, List<Layer> tail, Layer sign, int[] keys, int channels) {
        float[] pre = new float[channels];
        for (int c = 0; c < channels; c++) {
            pre[c] = PackedSigns.fromOrderKey(keys[c]);
        }
        float[] z = apply(conv, tail, pre, 1, channels);
        float[] s = sign.forward(new Tensor[] {new Tensor(z.clone(), 1, channels, 1, 1)}, false).data();
        boolean[] p = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            if (Float.isNaN(z[c])) {
                return null;
            }
            p[c] = s[c] > 0f;
        }
        return p;
    }

    /** Whether every parameter and buffer of {@code l} is finite and no variance is negative. */
    static boolean finite(Layer l) {
        List<Param> all = new ArrayList<>(l.params());
        all.addAll(l.buffers());
        for (Param p : all) {
            for (float v : p.value()) {
                if (!Float.isFinite(v) || p.name().contains("var") && v < 0f) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
