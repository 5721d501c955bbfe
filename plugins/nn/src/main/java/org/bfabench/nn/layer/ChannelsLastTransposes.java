package org.bfabench.nn.layer;

import java.nio.FloatBuffer;
import org.bfabench.nn.tensor.Parallel;

/**
 * The NCHW ↔ NHWC copies around {@link Nd4jKernels}' channels-last oneDNN convolutions (heap arrays are
 * NCHW, oneDNN's fast path is NHWC), kept apart so that class stays about its kernels.
 */
final class ChannelsLastTransposes {
    private ChannelsLastTransposes() {
    }

    /**
     * Writes NCHW {@code src} (n images of c planes of sp values) to {@code dst} in NHWC order, a tile of
     * {@value Nd4jKernels#TILE} positions at a time so both sides are read and written in runs, not with
     * plane strides.
     */
    static void toChannelsLast(float[] src, int n, int c, int sp, FloatBuffer dst) {
        Parallel.forEach(n, (long) c * sp, b -> {
            FloatBuffer d = dst.duplicate();
            float[] tile = new float[Nd4jKernels.TILE * c];
            int base = b * c * sp;
            for (int i0 = 0; i0 < sp; i0 += Nd4jKernels.TILE) {
                int len = Math.min(Nd4jKernels.TILE, sp - i0);
                for (int ch = 0; ch < c; ch++) {
                    int from = base + ch * sp + i0;
                    for (int t = 0; t < len; t++) {
                        tile[t * c + ch] = src[from + t];
                    }
                }
                d.put(base + i0 * c, tile, 0, len * c);
            }
        });
    }

    /** Reads NHWC {@code src} into NCHW {@code dst}, channel ch multiplied by its scale, tile by tile. */
    static void fromChannelsLast(FloatBuffer src, int n, int c, int sp, float[] scale, float[] dst) {
        boolean unit = scale.length == 1 && scale[0] == 1f;
        Parallel.forEach(n, (long) c * sp, b -> {
            FloatBuffer s = src.duplicate();
            float[] tile = new float[Nd4jKernels.TILE * c];
            int base = b * c * sp;
            for (int i0 = 0; i0 < sp; i0 += Nd4jKernels.TILE) {
                int len = Math.min(Nd4jKernels.TILE, sp - i0);
                s.get(base + i0 * c, tile, 0, len * c);
                for (int ch = 0; ch < c; ch++) {
                    int to = base + ch * sp + i0;
                    if (unit) {
                        for (int t = 0; t < len; t++) {
                            dst[to + t] = tile[t * c + ch];
                        }
                    } else {
                        float f = scale.length == 1 ? scale[0] : scale[ch];
                        for (int t = 0; t < len; t++) {
                            dst[to + t] = tile[t * c + ch] * f;
                        }
                    }
                }
            }
        });
    }
}
