package org.bfabench.spi;

/**
 * One bit of the attack surface.
 *
 * @param layer index into {@link AttackSurface#layers()}
 * @param index weight index within the layer
 * @param bit   bit position, 0 = least significant; for N-bit codes bit N−1 is the sign bit
 */
public record BitFlip(int layer, int index, int bit) {
}
