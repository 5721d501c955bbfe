package org.bfabench.nn.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: NCHW for images, N×F for features. The data array is
 * owned by the tensor; layers never write into a tensor they did not create.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    public Tensor(float[] data, int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " floats, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return new Tensor(new float[Math.toIntExact(n)], shape);
    }

    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** Batch size (first dimension). */
    public int n() {
        return shape[0];
    }

    /** Channels (or features): the second dimension. */
    public int channels() {
        return shape[1];
    }

    /** Values per channel per image (H·W for images, 1 for features). */
    public int spatial() {
        int s = 1;
        for (int i = 2; i < shape.length; i++) {
            s *= shape[i];
        }
        return s;
    }

    public int size() {
        return data.length;
    }

    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape);
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
