/**
 * Importing externally trained weights: reading NumPy {@code .npz} files (as PyTorch users write them with
 * {@code numpy.savez}), mapping their keys to bfabench parameter names, checking shapes. Plain Java on
 * purpose: the arrays cross into a defense only through the SPI ({@code Defense#importWeights}).
 */
package org.bfabench.harness.weights;
