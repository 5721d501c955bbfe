package org.bfabench.nn.layer;

import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/**
 * Batch normalisation over channels (NCHW) or features (N×F) (Ioffe &amp; Szegedy 2015). Training uses
 * batch statistics and updates running averages (momentum 0.1, unbiased running variance, as PyTorch);
 * inference uses the running averages.
 *
 * <p>Speed: every pass is one sweep over the data with float arithmetic in the inner loop (which C2
 * vectorizes) and per-plane partial sums gathered in double; backward gets the batch statistics and the
 * two gradient sums from a single sweep, sums taken around a per-channel shift (the channel's first value)
 * so that E[x²] − E[x]² does not cancel.
 */
public final class BatchNorm implements Layer {
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;
    private final int channels;
    private final float[] gamma;
    private final float[] beta;
    private final float[] runningMean;
    private final float[] runningVar;

    public BatchNorm(int channels) {
        this.channels = channels;
        this.gamma = new float[channels];
        this.beta = new float[channels];
        this.runningMean = new float[channels];
        this.runningVar = new float[channels];
        Arrays.fill(gamma, 1f);
        Arrays.fill(runningVar, 1f);
    }

    public int channels() {
        return channels;
    }

    /** Per-channel sums of the batch; with {@code g} also the sums backward needs. */
    private static final class Sums {
        final double[] shift;
        final double[] x;
        final double[] xx;
        final double[] g;
        final double[] gx;

        Sums(int c) {
            shift = new double[c];
            x = new double[c];
            xx = new double[c];
            g = new double[c];
            gx = new double[c];
        }
    }

    /** Σ(x−s), Σ(x−s)² and, when {@code grad} is given, Σg and Σg·(x−s), per channel, s = the channel's first value. */
    private Sums sums(Tensor x, float[] grad) {
        int n = x.n();
        int sp = x.spatial();
        float[] d = x.data();
        Sums s = new Sums(channels);
        Parallel.forEach(channels, (long) n * sp, k -> {
            float shift = d[k * sp];
            double sx = 0;
            double sxx = 0;
            double sg = 0;
            double sgx = 0;
            for (int b = 0; b < n; b++) {
                int from = (b * channels + k) * sp;
                int to = from + sp;
                float px = 0f;
                float pxx = 0f;
                for (int i = from; i < to; i++) {
                    float t = d[i] - shift;
                    px += t;
                    pxx += t * t;
                }
                sx += px;
                sxx += pxx;
                if (grad != null) {
                    float pg = 0f;
                    float pgx = 0f;
                    for (int i = from; i < to; i++) {
                        pg += grad[i];
                        pgx += grad[i] * (d[i] - shift);
                    }
                    sg += pg;
                    sgx += pgx;
                }
            }
            s.shift[k] = shift;
            s.x[k] = sx;
            s.xx[k] = sxx;
            s.g[k] = sg;
            s.gx[k] = sgx;
        });
        return s;
    }

    private static double mean(Sums s, int k, long m) {
        return s.shift[k] + s.x[k] / m;
    }

    /** Biased batch variance. */
    private static double variance(Sums s, int k, long m) {
        double mu = s.x[k] / m;
        return Math.max(0, s.xx[k] / m - mu * mu);
    }

    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        Tensor x = in[0];
        check(x);
        float[] a = new float[channels];
        float[] c = new float[channels];
        if (training) {
            Sums st = sums(x, null);
            long m = (long) x.n() * x.spatial();
            for (int k = 0; k < channels; k++) {
                double mu = mean(st, k, m);
                double var = variance(st, k, m);
                double invStd = 1.0 / Math.sqrt(var + EPS);
                a[k] = (float) (invStd * gamma[k]);
                c[k] = (float) (beta[k] - mu * invStd * gamma[k]);
                runningMean[k] = (1 - MOMENTUM) * runningMean[k] + MOMENTUM * (float) mu;
                double unbiased = m > 1 ? var * m / (m - 1) : var;
                runningVar[k] = (1 - MOMENTUM) * runningVar[k] + MOMENTUM * (float) unbiased;
            }
        } else {
            inferenceCoefficients(a, c);
        }
        float[] d = x.data();
        float[] out = new float[d.length];
        int sp = x.spatial();
        Parallel.forEach(x.n() * channels, sp, p -> {
            int k = p % channels;
            float ak = a[k];
            float ck = c[k];
            for (int i = p * sp, e = i + sp; i < e; i++) {
                out[i] = d[i] * ak + ck;
            }
        });
        return new Tensor(out, x.shape());
    }

    /**
     * The inference map x·a[k] + c[k] of channel k from the running statistics, into {@code a} and {@code c}:
     * the channels-last path reads them here so both layouts compute the same floats.
     */
    void inferenceCoefficients(float[] a, float[] c) {
        for (int k = 0; k < channels; k++) {
            float invStd = (float) (1.0 / Math.sqrt(runningVar[k] + EPS));
            a[k] = invStd * gamma[k];
            c[k] = beta[k] - runningMean[k] * a[k];
        }
    }

    private void check(Tensor x) {
        if (x.rank() < 2 || x.channels() != channels) {
            throw new IllegalArgumentException("batch norm of " + channels + " channels got " + x);
        }
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        Tensor x = in[0];
        int n = x.n();
        int sp = x.spatial();
        long m = (long) n * sp;
        float[] d = x.data();
        float[] g = gradOut.data();
        float[] gx = new float[d.length];
        float[] gGamma = new float[channels];
        float[] gBeta = new float[channels];
        if (training) {
            // gx = a·(g − mean(g) − x̂·mean(g·x̂)) with a = γ/σ, written as a·g + b·(x − μ) + c
            Sums st = sums(x, g);
            float[] mu = new float[channels];
            float[] a = new float[channels];
            float[] b = new float[channels];
            float[] c = new float[channels];
            for (int k = 0; k < channels; k++) {
                double mean = mean(st, k, m);
                double invStd = 1.0 / Math.sqrt(variance(st, k, m) + EPS);
                double sumGxHat = (st.gx[k] - (mean - st.shift[k]) * st.g[k]) * invStd;
                double ak = gamma[k] * invStd;
                mu[k] = (float) mean;
                a[k] = (float) ak;
                b[k] = (float) (-ak * invStd * sumGxHat / m);
                c[k] = (float) (-ak * st.g[k] / m);
                gGamma[k] = (float) sumGxHat;
                gBeta[k] = (float) st.g[k];
            }
            Parallel.forEach(n * channels, sp, p -> {
                int k = p % channels;
                float ak = a[k];
                float bk = b[k];
                float ck = c[k];
                float mk = mu[k];
                for (int i = p * sp, e = i + sp; i < e; i++) {
                    gx[i] = ak * g[i] + bk * (d[i] - mk) + ck;
                }
            });
        } else {
            // running statistics are constants: gx = a·g; γ and β still get their gradients, in the same sweep
            float[] a = new float[channels];
            for (int k = 0; k < channels; k++) {
                a[k] = (float) (gamma[k] / Math.sqrt(runningVar[k] + EPS));
            }
            double[] sg = new double[channels];
            double[] sgx = new double[channels];
            Parallel.forEach(channels, m, k -> {
                float ak = a[k];
                float mk = runningMean[k];
                double tg = 0;
                double tgx = 0;
                for (int bi = 0; bi < n; bi++) {
                    float pg = 0f;
                    float pgx = 0f;
                    for (int i = (bi * channels + k) * sp, e = i + sp; i < e; i++) {
                        gx[i] = g[i] * ak;
                        pg += g[i];
                        pgx += g[i] * (d[i] - mk);
                    }
                    tg += pg;
                    tgx += pgx;
                }
                sg[k] = tg;
                sgx[k] = tgx;
            });
            for (int k = 0; k < channels; k++) {
                gGamma[k] = (float) (sgx[k] / Math.sqrt(runningVar[k] + EPS));
                gBeta[k] = (float) sg[k];
            }
        }
        return new Gradients(new Tensor[] {new Tensor(gx, x.shape())}, new float[][] {gGamma, gBeta}, null);
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("gamma", gamma, false), new Param("beta", beta, false));
    }

    @Override
    public List<Param> buffers() {
        return List.of(new Param("running_mean", runningMean, false), new Param("running_var", runningVar, false));
    }
}
