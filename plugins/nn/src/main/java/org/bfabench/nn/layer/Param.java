package org.bfabench.nn.layer;

/**
 * A named parameter or buffer. The array is the layer's live storage (optimizers update it in place).
 *
 * @param name  unique within its layer, e.g. {@code weight}, {@code alpha}, {@code running_mean}
 * @param value live values
 * @param decay whether weight decay applies
 */
public record Param(String name, float[] value, boolean decay) {
}
