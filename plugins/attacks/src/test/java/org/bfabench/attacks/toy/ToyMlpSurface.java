package org.bfabench.attacks.toy;

import java.util.List;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.WeightSnapshot;

/**
 * A real attack surface for tests: a 16→hidden→classes ReLU perceptron whose two weight matrices are
 * stored as N-bit two's-complement codes times a frozen per-layer step, or as ±1 times a frozen scale
 * (bits = 1). Biases stay full precision outside the surface. Gradients are analytic: ∂L/∂code =
 * ∂L/∂w · step.
 */
public final class ToyMlpSurface implements AttackSurface {
    private final MlpMath math;
    private final int[] bits;
    private final double[] scale;
    private final int[][] codes;
    private final double[] b0;
    private final double[] b1;
    private final List<AttackableLayer> layers;

    public ToyMlpSurface(int in, int hidden, int classes, int[] bits, double[] scale, int[][] codes, double[] b0,
            double[] b1) {
        this.math = new MlpMath(in, hidden, classes);
        this.bits = bits.clone();
        this.scale = scale.clone();
        this.codes = new int[][] {codes[0].clone(), codes[1].clone()};
        this.b0 = b0.clone();
        this.b1 = b1.clone();
        this.layers = List.of(new AttackableLayer("fc0", bits[0], hidden * in),
                new AttackableLayer("fc1", bits[1], classes * hidden));
        if (codes[0].length != hidden * in || codes[1].length != classes * hidden) {
            throw new IllegalArgumentException("code arrays do not match the layer sizes");
        }
    }

    /** An independent copy with the same codes. */
    public ToyMlpSurface copy() {
        return new ToyMlpSurface(math.in, math.hidden, math.classes, bits, scale, codes, b0, b1);
    }

    /** Flips bit {@code bit} of an N-bit two's-complement code (for N = 1: negates ±1). */
    public static int flipBit(int code, int bit, int bits) {
        if (bits == 1) {
            return -code;
        }
        int shift = 32 - bits;
        return ((code ^ (1 << bit)) << shift) >> shift;
    }

    /** Copy of all codes, layer by layer. */
    public int[][] codes() {
        return new int[][] {codes[0].clone(), codes[1].clone()};
    }

    @Override
    public List<AttackableLayer> layers() {
        return layers;
    }

    @Override
    public int code(int layer, int index) {
        return codes[layer][index];
    }

    @Override
    public void flip(BitFlip flip) {
        int[] c = codes[flip.layer()];
        int n = bits[flip.layer()];
        if (flip.bit() < 0 || flip.bit() >= n) {
            throw new IllegalArgumentException("bit " + flip.bit() + " outside a " + n + "-bit code");
        }
        c[flip.index()] = flipBit(c[flip.index()], flip.bit(), n);
    }

    @Override
    public boolean hasGradients() {
        return true;
    }

    private record Snapshot(ToyMlpSurface owner, int[][] codes) implements WeightSnapshot {
    }

    @Override
    public WeightSnapshot snapshot() {
        return new Snapshot(this, codes());
    }

    @Override
    public void restore(WeightSnapshot snapshot) {
        Snapshot s = (Snapshot) snapshot;
        if (s.owner() != this) {
            throw new IllegalArgumentException("snapshot of another surface");
        }
        for (int l = 0; l < 2; l++) {
            System.arraycopy(s.codes()[l], 0, codes[l], 0, codes[l].length);
        }
    }

    @Override
    public BatchEvaluator evaluator(Batch batch) {
        return new Evaluator(batch);
    }

    private double[] weights(int layer) {
        double[] w = new double[codes[layer].length];
        for (int i = 0; i < w.length; i++) {
            w[i] = codes[layer][i] * scale[layer];
        }
        return w;
    }

    private final class Evaluator implements BatchEvaluator {
        private final Batch batch;

        Evaluator(Batch batch) {
            this.batch = batch;
        }

        @Override
        public Batch batch() {
            return batch;
        }

        @Override
        public double loss() {
            return math.run(batch.images(), batch.labels(), batch.size(), weights(0), b0, weights(1), b1, null, null,
                    null, null, null);
        }

        @Override
        public LossGradient lossAndGradient() {
            double[] gw0 = new double[codes[0].length];
            double[] gw1 = new double[codes[1].length];
            double loss = math.run(batch.images(), batch.labels(), batch.size(), weights(0), b0, weights(1), b1, gw0,
                    new double[b0.length], gw1, new double[b1.length], null);
            float[][] g = new float[2][];
            g[0] = new float[gw0.length];
            g[1] = new float[gw1.length];
            for (int i = 0; i < gw0.length; i++) {
                g[0][i] = (float) (gw0[i] * scale[0]);
            }
            for (int i = 0; i < gw1.length; i++) {
                g[1][i] = (float) (gw1[i] * scale[1]);
            }
            return new LossGradient(loss, g);
        }

        @Override
        public double lossWith(List<BitFlip> flips) {
            for (BitFlip f : flips) {
                flip(f);
            }
            try {
                return loss();
            } finally {
                for (int k = flips.size() - 1; k >= 0; k--) {
                    flip(flips.get(k));
                }
            }
        }

        @Override
        public int[] predictions() {
            int[] p = new int[batch.size()];
            math.run(batch.images(), batch.labels(), batch.size(), weights(0), b0, weights(1), b1, null, null, null,
                    null, p);
            return p;
        }

        @Override
        public double accuracy() {
            int[] p = predictions();
            int hit = 0;
            for (int s = 0; s < p.length; s++) {
                if (p[s] == batch.labels()[s]) {
                    hit++;
                }
            }
            return (double) hit / p.length;
        }

        @Override
        public void close() {
        }
    }
}
