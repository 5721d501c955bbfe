package org.bfabench.spi;

/**
 * Loss on a batch and its gradient with respect to every stored code.
 *
 * @param loss      mean cross-entropy over the batch
 * @param gradients one array per attackable layer, {@code gradients[l][i] = ∂loss/∂code(l, i)}: for an
 *                  N-bit layer the derivative with respect to the integer code, for a binary layer with
 *                  respect to the ±1 value
 */
public record LossGradient(double loss, float[][] gradients) {
}
