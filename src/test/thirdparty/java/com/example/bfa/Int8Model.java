package com.example.bfa;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Footprint;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.WeightSnapshot;

/**
 * An MLP whose linear weights are stored as 8-bit two's-complement codes with one step size per
 * layer (weight = code × step); it is its own attack surface.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): int magic {@code 0x50493831} ("PI81"), int op
 * count; per op: int kind ordinal, int in, int out; a linear op then has float step, {@code in×out}
 * signed code bytes, a boolean and, if true, {@code out} bias floats; a batch-norm op has gamma, beta,
 * running mean and running variance, {@code in} floats each.
 */
final class Int8Model implements DefendedModel, AttackSurface {
    private static final int MAGIC = 0x50493831;

    private final DenseStack stack;
    private final byte[][] codes;
    private final float[] step;
    private final int[] opOfLayer;
    private final List<AttackableLayer> layers = new ArrayList<>();

    /** Quantizes {@code stack}'s linear weights in place: step = max|w| / 127, code = round(w / step). */
    static Int8Model quantize(DenseStack stack) {
        int k = stack.ops.size();
        byte[][] codes = new byte[k][];
        float[] step = new float[k];
        for (int i = 0; i < k; i++) {
            float[] w = stack.weight[i];
            if (w == null) {
                continue;
            }
            float max = 0f;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            step[i] = max == 0f ? 1f : max / 127f;
            codes[i] = new byte[w.length];
            for (int j = 0; j < w.length; j++) {
                codes[i][j] = (byte) Math.max(-127, Math.min(127, Math.round(w[j] / step[i])));
            }
        }
        return new Int8Model(stack, codes, step);
    }

    private Int8Model(DenseStack stack, byte[][] codes, float[] step) {
        this.stack = stack;
        this.codes = codes;
        this.step = step;
        List<Integer> ops = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != null) {
                ops.add(i);
                layers.add(new AttackableLayer(stack.ops.get(i).name(), 8, codes[i].length));
                for (int j = 0; j < codes[i].length; j++) {
                    stack.weight[i][j] = codes[i][j] * step[i];
                }
            }
        }
        opOfLayer = ops.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int[] predict(Batch batch) {
        return argmax(stack.forward(batch.images(), batch.size(), false).logits(), batch.size(), classes());
    }

    private int classes() {
        return stack.ops.get(stack.ops.size() - 1).out();
    }

    private static int[] argmax(float[] logits, int n, int classes) {
        int[] p = new int[n];
        for (int s = 0; s < n; s++) {
            for (int c = 1; c < classes; c++) {
                if (logits[s * classes + c] > logits[s * classes + p[s]]) {
                    p[s] = c;
                }
            }
        }
        return p;
    }

    @Override
    public Footprint footprint() {
        long params = 0;
        long side = 0;
        for (int i = 0; i < stack.ops.size(); i++) {
            params += codes[i] == null ? 0 : codes[i].length;
            side += stack.bias[i] == null ? 0 : stack.bias[i].length;
            side += stack.gamma[i] == null ? 0 : 4L * stack.gamma[i].length;
            side += codes[i] == null ? 0 : 1;
        }
        return new Footprint(8 * params, params, side);
    }

    @Override
    public void save(Path file) {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(stack.ops.size());
            for (int i = 0; i < stack.ops.size(); i++) {
                ChainBuilder.Op op = stack.ops.get(i);
                out.writeInt(op.kind().ordinal());
                out.writeInt(op.in());
                out.writeInt(op.out());
                if (codes[i] != null) {
                    out.writeFloat(step[i]);
                    out.write(codes[i]);
                    out.writeBoolean(stack.bias[i] != null);
                    writeFloats(out, stack.bias[i]);
                } else if (stack.gamma[i] != null) {
                    writeFloats(out, stack.gamma[i]);
                    writeFloats(out, stack.beta[i]);
                    writeFloats(out, stack.mean[i]);
                    writeFloats(out, stack.var[i]);
                }
            }
        } catch (IOException e) {
            throw new BenchException(file + ": cannot write the plain-int8 model (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a file written by {@link #save} into {@code stack}, whose ops must match the file's. */
    static Int8Model load(DenseStack stack, Path file) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != stack.ops.size()) {
                throw new BenchException(file + ": not a plain-int8 model of this architecture; delete it to retrain");
            }
            byte[][] codes = new byte[stack.ops.size()][];
            float[] step = new float[stack.ops.size()];
            for (int i = 0; i < stack.ops.size(); i++) {
                ChainBuilder.Op op = stack.ops.get(i);
                if (in.readInt() != op.kind().ordinal() || in.readInt() != op.in() || in.readInt() != op.out()) {
                    throw new BenchException(file + ": layer " + i + " does not match the architecture; delete it to retrain");
                }
                if (stack.weight[i] != null) {
                    step[i] = in.readFloat();
                    codes[i] = new byte[op.in() * op.out()];
                    in.readFully(codes[i]);
                    if (in.readBoolean()) {
                        readFloats(in, stack.bias[i]);
                    }
                } else if (stack.gamma[i] != null) {
                    readFloats(in, stack.gamma[i]);
                    readFloats(in, stack.beta[i]);
                    readFloats(in, stack.mean[i]);
                    readFloats(in, stack.var[i]);
                }
            }
            return new Int8Model(stack, codes, step);
        } catch (IOException e) {
            throw new BenchException(file + ": truncated or unreadable plain-int8 model (" + e.getMessage()
                    + "); delete it to retrain", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        if (v != null) {
            for (float f : v) {
                out.writeFloat(f);
            }
        }
    }

    private static void readFloats(DataInputStream in, float[] v) throws IOException {
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
    }

    @Override
    public Optional<AttackSurface> attackSurface() {
        return Optional.of(this);
    }

    @Override
    public void close() {
    }

    @Override
    public List<AttackableLayer> layers() {
        return List.copyOf(layers);
    }

    @Override
    public int code(int layer, int index) {
        return codes[opOfLayer[layer]][index];
    }

    @Override
    public void flip(BitFlip f) {
        if (f.bit() < 0 || f.bit() >= 8) {
            throw new IllegalArgumentException("bit " + f.bit() + " of an 8-bit code");
        }
        int op = opOfLayer[f.layer()];
        byte c = (byte) (codes[op][f.index()] ^ (1 << f.bit()));
        codes[op][f.index()] = c;
        stack.weight[op][f.index()] = c * step[op];
    }

    @Override
    public boolean hasGradients() {
        return true;
    }

    private record Snapshot(Int8Model owner, byte[][] codes) implements WeightSnapshot { }

    @Override
    public WeightSnapshot snapshot() {
        byte[][] copy = new byte[codes.length][];
        for (int i = 0; i < codes.length; i++) {
            copy[i] = codes[i] == null ? null : codes[i].clone();
        }
        return new Snapshot(this, copy);
    }

    @Override
    public void restore(WeightSnapshot snapshot) {
        if (!(snapshot instanceof Snapshot s) || s.owner() != this) {
            throw new IllegalArgumentException("snapshot of another surface");
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != null) {
                System.arraycopy(s.codes()[i], 0, codes[i], 0, codes[i].length);
                for (int j = 0; j < codes[i].length; j++) {
                    stack.weight[i][j] = codes[i][j] * step[i];
                }
            }
        }
    }

    @Override
    public BatchEvaluator evaluator(Batch batch) {
        return new BatchEvaluator() {
            @Override
            public Batch batch() {
                return batch;
            }

            @Override
            public double loss() {
                float[] logits = stack.forward(batch.images(), batch.size(), false).logits();
                return DenseStack.crossEntropy(logits, batch.size(), classes(), batch.labels(), null);
            }

            @Override
            public LossGradient lossAndGradient() {
                DenseStack.Grads g = stack.backward(stack.forward(batch.images(), batch.size(), false), batch.labels(), false);
                float[][] perCode = new float[opOfLayer.length][];
                for (int l = 0; l < opOfLayer.length; l++) {
                    int op = opOfLayer[l];
                    perCode[l] = new float[codes[op].length];
                    for (int j = 0; j < perCode[l].length; j++) {
                        perCode[l][j] = g.weight()[op][j] * step[op]; // dL/dcode = dL/dw · dw/dcode
                    }
                }
                return new LossGradient(g.loss(), perCode);
            }

            @Override
            public double lossWith(List<BitFlip> flips) {
                flips.forEach(Int8Model.this::flip);
                try {
                    return loss();
                } finally {
                    flips.forEach(Int8Model.this::flip); // XOR again restores the codes exactly
                }
            }

            @Override
            public int[] predictions() {
                return predict(batch);
            }

            @Override
            public double accuracy() {
                int[] p = predictions();
                int ok = 0;
                for (int s = 0; s < p.length; s++) {
                    ok += p[s] == batch.labels()[s] ? 1 : 0;
                }
                return (double) ok / p.length;
            }

            @Override
            public void close() {
            }
        };
    }
}
