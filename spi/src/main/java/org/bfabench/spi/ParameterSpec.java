package org.bfabench.spi;

import java.util.Arrays;

/**
 * One array a model needs from an external checkpoint, named as {@link Defense#importWeights} expects
 * it. Names follow PyTorch's {@code state_dict} convention on the architecture's stable layer names:
 * {@code <layer>.weight} (conv {@code [out, in, kh, kw]}, linear {@code [out, in]}), {@code <layer>.bias},
 * and for batch normalisation {@code <bn>.weight} (γ), {@code <bn>.bias} (β), {@code <bn>.running_mean},
 * {@code <bn>.running_var}.
 *
 * @param name       e.g. {@code layer1.0.conv1.weight}
 * @param shape      the dimensions the array must have
 * @param buffer     true for non-trainable state (batch-norm running statistics)
 * @param attackable true when the defense stores this array in the bit memory attacks flip
 */
public record ParameterSpec(String name, int[] shape, boolean buffer, boolean attackable) {

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && buffer == p.buffer && attackable == p.attackable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeString() + (buffer ? " buffer" : "") + (attackable ? " attackable" : "");
    }
}
