package org.bfabench.nn.layer;

import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.tensor.Tensor;

/**
 * Batch normalisation over channels (NCHW) or features (N×F) (Ioffe &amp; Szegedy 2015). Training uses
 * batch statistics and updates running averages (momentum 0.1, unbiased running variance, as PyTorch);
 * inference uses the running averages.
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

    /** Per-channel mean and biased variance, two passes in double. */
    private double[][] batchStats(Tensor x) {
        int n = x.n();
        int sp = x.spatial();
        float[] d = x.data();
        double[] mean = new double[channels];
        double[] var = new double[channels];
        long m = (long) n * sp;
        Parallel.forEach(channels, m, k -> {
            double s = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + k) * sp;
                for (int i = base; i < base + sp; i++) {
                    s += d[i];
                }
            }
            double mu = s / m;
            double v = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + k) * sp;
                for (int i = base; i < base + sp; i++) {
                    double t = d[i] - mu;
                    v += t * t;
                }
            }
            mean[k] = mu;
            var[k] = v / m;
        });
        return new double[][] {mean, var};
    }

    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        Tensor x = in[0];
        check(x);
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        if (training) {
            double[][] st = batchStats(x);
            long m = (long) x.n() * x.spatial();
            for (int k = 0; k < channels; k++) {
                mean[k] = (float) st[0][k];
                invStd[k] = (float) (1.0 / Math.sqrt(st[1][k] + EPS));
                runningMean[k] = (1 - MOMENTUM) * runningMean[k] + MOMENTUM * (float) st[0][k];
                double unbiased = m > 1 ? st[1][k] * m / (m - 1) : st[1][k];
                runningVar[k] = (1 - MOMENTUM) * runningVar[k] + MOMENTUM * (float) unbiased;
            }
        } else {
            for (int k = 0; k < channels; k++) {
                mean[k] = runningMean[k];
                invStd[k] = (float) (1.0 / Math.sqrt(runningVar[k] + EPS));
            }
        }
        float[] d = x.data();
        float[] out = new float[d.length];
        int sp = x.spatial();
        Parallel.forEach(x.n() * channels, sp, p -> {
            int k = p % channels;
            float a = invStd[k] * gamma[k];
            float c = beta[k] - mean[k] * a;
            for (int i = p * sp; i < (p + 1) * sp; i++) {
                out[i] = d[i] * a + c;
            }
        });
        return new Tensor(out, x.shape());
    }

    private void check(Tensor x) {
        if (x.rank() < 2 || x.channels() != channels) {
            throw new IllegalArgumentException("batch norm of " + channels + " channels got " + x);
        }
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        Tensor x = in[0];
        int sp = x.spatial();
        float[] d = x.data();
        float[] g = gradOut.data();
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        if (training) {
            double[][] st = batchStats(x);
            mean = st[0];
            for (int k = 0; k < channels; k++) {
                invStd[k] = 1.0 / Math.sqrt(st[1][k] + EPS);
            }
        } else {
            for (int k = 0; k < channels; k++) {
                mean[k] = runningMean[k];
                invStd[k] = 1.0 / Math.sqrt(runningVar[k] + EPS);
            }
        }
        double[] sumG = new double[channels];
        double[] sumGx = new double[channels];
        int n = x.n();
        double[] mu = mean;
        Parallel.forEach(channels, (long) n * sp, k -> {
            double sg = 0;
            double sgx = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + k) * sp;
                for (int i = base; i < base + sp; i++) {
                    sg += g[i];
                    sgx += g[i] * (d[i] - mu[k]);
                }
            }
            sumG[k] = sg;
            sumGx[k] = sgx * invStd[k];
        });
        float[] gx = new float[d.length];
        long m = (long) n * sp;
        Parallel.forEach(n * channels, sp, p -> {
            int k = p % channels;
            double a = gamma[k] * invStd[k];
            if (training) {
                double mg = sumG[k] / m;
                double mgx = sumGx[k] / m;
                for (int i = p * sp; i < (p + 1) * sp; i++) {
                    double xhat = (d[i] - mu[k]) * invStd[k];
                    gx[i] = (float) (a * (g[i] - mg - xhat * mgx));
                }
            } else {
                for (int i = p * sp; i < (p + 1) * sp; i++) {
                    gx[i] = (float) (g[i] * a);
                }
            }
        });
        float[] gGamma = new float[channels];
        float[] gBeta = new float[channels];
        for (int k = 0; k < channels; k++) {
            gGamma[k] = (float) sumGx[k];
            gBeta[k] = (float) sumG[k];
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
