package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/**
 * What a backward pass of one layer yields.
 *
 * @param inputs gradient with respect to each input (null for an input that needs none)
 * @param params gradient with respect to each of {@link Layer#params()}, same order
 * @param codes  for a weighted layer, gradient with respect to the values its kernel multiplies
 *               (integer codes or ±1); null otherwise
 */
public record Gradients(Tensor[] inputs, float[][] params, float[] codes) {
    public static Gradients of(Tensor input) {
        return new Gradients(new Tensor[] {input}, new float[0][], null);
    }
}
