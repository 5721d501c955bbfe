package org.bfabench.spi;

import java.util.Arrays;

/**
 * One externally trained array handed to {@link Defense#importWeights}: values in C (row-major) order
 * and their shape. Layouts follow PyTorch, which are also bfabench's: a convolution weight is
 * {@code [out, in, kh, kw]} (OIHW), a linear weight {@code [out, in]}, biases and batch-norm vectors
 * {@code [channels]}.
 *
 * <p>Arrays are compared by content ({@link #equals}), not by identity.
 *
 * @param values row-major values (float64 or integer sources are converted to float32 by the reader)
 * @param shape  the dimensions; their product is {@code values.length} (a 0-d scalar has shape {@code []})
 */
public record WeightArray(float[] values, int[] shape) {
    public WeightArray {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + values.length);
        }
    }

    /** The shape as PyTorch prints it, e.g. {@code [16, 3, 3, 3]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightArray w && Arrays.equals(values, w.values) && Arrays.equals(shape, w.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "WeightArray" + shapeString();
    }
}
