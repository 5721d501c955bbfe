package org.bfabench.nn.xnor;

import java.util.Random;

/** Straightforward float computations the XNOR kernels must reproduce bit for bit. */
final class FloatReference {

    private FloatReference() {
    }

    static float sign(float v) {
        return v >= 0f ? 1f : -1f;
    }

    /** Float conv of sign(x), zero-padded (padding is 0, not ±1), with sign(w) weights; NCHW / OIHW. */
    static float[] conv(float[] x, int n, int c, int h, int w, float[] weights, int o, int k, int s, int p) {
        int ph = h + 2 * p;
        int pw = w + 2 * p;
        float[] padded = new float[n * c * ph * pw];
        for (int i = 0; i < n * c; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    padded[(i * ph + y + p) * pw + xx + p] = sign(x[(i * h + y) * w + xx]);
                }
            }
        }
        int oh = (ph - k) / s + 1;
        int ow = (pw - k) / s + 1;
        float[] out = new float[n * o * oh * ow];
        for (int img = 0; img < n; img++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float sum = 0f;
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    float v = padded[((img * c + ic) * ph + oy * s + ky) * pw + ox * s + kx];
                                    sum += v * sign(weights[((oc * c + ic) * k + ky) * k + kx]);
                                }
                            }
                        }
                        out[((img * o + oc) * oh + oy) * ow + ox] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** Float product of sign(x) [n][in] with sign(w) [out][in]. */
    static float[] linear(float[] x, int n, int in, float[] weights, int out) {
        float[] y = new float[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                float sum = 0f;
                for (int i = 0; i < in; i++) {
                    sum += sign(x[r * in + i]) * sign(weights[o * in + i]);
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    /** Gaussian values with about a fifth exact zeros, half of them negative zero. */
    static float[] valuesWithZeros(Random random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            v[i] = u < 0.1 ? 0f : u < 0.2 ? -0f : (float) random.nextGaussian();
        }
        return v;
    }
}
