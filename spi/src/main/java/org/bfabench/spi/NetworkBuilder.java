package org.bfabench.spi;

/**
 * The vocabulary in which a {@link ModelArchitecture} describes a network; implemented by a defense.
 *
 * <p>{@code T} is the defense's own handle for a tensor-producing node; architectures treat it as
 * opaque. Names must be unique within a network and are stable identifiers (used in traces,
 * leaderboards and weight-import mappings). Every {@link #conv} and {@link #linear} and the
 * {@link #classifier} is an attackable layer in a defense that quantizes or binarizes weights.
 */
public interface NetworkBuilder<T> {

    /** The input image. */
    T input();

    /** A bias-free 2-D convolution. */
    T conv(String name, T in, ConvSpec spec);

    /** Batch normalisation over channels (or features, after {@link #flatten}). */
    T batchNorm(String name, T in);

    /**
     * The defense's nonlinearity: ReLU in a real-valued network, Hardtanh in a complete BNN (whose next
     * layer takes the sign).
     */
    T activation(T in);

    T maxPool(T in, int kernel, int stride);

    T avgPool(T in, int kernel, int stride);

    T globalAvgPool(T in);

    T flatten(T in);

    /** Element-wise sum (a residual connection); shapes must match. */
    T add(T a, T b);

    /**
     * Parameter-free ResNet shortcut "option A": spatial subsampling by {@code stride} and zero-padding
     * of channels up to {@code outChannels} (the channels of {@code widthGroup}).
     */
    T subsamplePad(T in, int outChannels, int stride, String widthGroup);

    /** A hidden fully-connected layer. */
    T linear(String name, T in, int outFeatures, boolean bias);

    /** The final fully-connected layer producing the logits; ends the description. */
    T classifier(String name, T in, int numClasses);
}
