package org.bfabench.nn.surface;

import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.tensor.Tensor;

/**
 * Recognises a k×k max-pool with stride s (no padding) by its behaviour: the pooling layers expose no
 * kernel or stride, so the layer is run on two index-valued probe planes (values p and −p at position p)
 * and every output is checked against the max-pool of the derived geometry. Anything else (average
 * pooling, padding, another shape) is not recognised and keeps its float path.
 */
final class PoolProbe {
    private PoolProbe() {
    }

    /** {@code {k, s}} of {@code pool} on an h×w plane giving oh×ow, or null if it is not such a max-pool. */
    static int[] maxPoolGeometry(Layer pool, int h, int w, int oh, int ow) {
        if ((long) h * w >= 1 << 24) {
            return null; // indices must be exact in float
        }
        float[] up = new float[h * w];
        float[] down = new float[h * w];
        for (int p = 0; p < up.length; p++) {
            up[p] = p;
            down[p] = -p;
        }
        float[] a;
        float[] b;
        try {
            Tensor ta = pool.forward(new Tensor[] {new Tensor(up, 1, 1, h, w)}, false);
            Tensor tb = pool.forward(new Tensor[] {new Tensor(down, 1, 1, h, w)}, false);
            if (ta.rank() != 4 || ta.dim(2) != oh || ta.dim(3) != ow || !ta.sameShape(tb)) {
                return null;
            }
            a = ta.data();
            b = tb.data();
        } catch (RuntimeException e) {
            return null;
        }
        int k = (int) a[0] / (w + 1) + 1;
        int s = ow > 1 ? (int) -b[1] : oh > 1 ? (int) -b[ow] / w : singleWindowStride(k, h, w);
        if (k < 1 || s < 1 || (h - k) / s + 1 != oh || (w - k) / s + 1 != ow) {
            return null;
        }
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float max = (i * s + k - 1) * w + j * s + k - 1;
                float min = (i * s) * w + j * s;
                if (a[i * ow + j] != max || b[i * ow + j] != -min) {
                    return null;
                }
            }
        }
        return new int[] {k, s};
    }

    /** A single output window says nothing about the stride: any stride that leaves one window will do. */
    private static int singleWindowStride(int k, int h, int w) {
        return k >= 1 && (h - k) / k == 0 && (w - k) / k == 0 ? k : Math.max(h, w);
    }
}
