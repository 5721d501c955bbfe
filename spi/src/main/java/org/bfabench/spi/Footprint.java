package org.bfabench.spi;

/**
 * Storage a defended model needs.
 *
 * @param weightBits     bits of attackable weight memory (the attack surface)
 * @param parameters     number of attackable weights
 * @param sideParameters full-precision parameters outside the attack surface (biases, BN, scales),
 *                       each stored in 32 bits
 */
public record Footprint(long weightBits, long parameters, long sideParameters) {
}
