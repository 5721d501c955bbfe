/**
 * Bit-packed XNOR-popcount kernels for binary layers at inference and attack time.
 *
 * <p>A binary layer multiplies ±1 weights by the signs of its inputs (XNOR-Net, Rastegari et al.,
 * ECCV 2016, §3.2 "Binary Dot Product"; RA-BNN, Rakin et al. 2021, §3, whose complete-BNN layers
 * binarize both weights and activations). With −1 stored as bit 1 and +1 as bit 0, the dot product of
 * two n-element sign vectors packed into {@code long}s is {@code n − 2·popcount(a XOR w)}, computed
 * with {@link java.lang.Long#bitCount(long)}, which HotSpot compiles to the POPCNT instruction. The
 * kernels block registers and split rows across a {@link java.util.concurrent.ForkJoinPool}. JDK 17's
 * Vector API has no lane-wise popcount; {@code PackedConv2d} nevertheless counts 8 outputs at once with
 * a SWAR bit count on 512-bit vectors when the incubator module is resolved (measured ~2× POPCNT here),
 * and falls back to scalar POPCNT otherwise.
 *
 * <p>{@link org.bfabench.nn.xnor.PackedSigns} keeps a complete BNN's activations bit-packed between
 * binary layers, and {@link org.bfabench.nn.xnor.PackedConv2d} maps popcounts straight to the next
 * layer's sign bits (or to a per-channel table of floats), so no ±1 float tensor is built in between.
 *
 * <p>Every result is an exact integer, returned as a {@code float}; it is bit-identical to a float
 * computation of {@code conv(sign(x), sign(W))} with zero padding, which the tests check on random
 * layers. Zero padding contributes 0, not ±1: the convolution handles border pixels with a per-weight
 * correction, so interior pixels run the unmasked kernel.
 */
package org.bfabench.nn.xnor;
