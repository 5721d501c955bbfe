package org.bfabench.spi;

/**
 * A network architecture, described once and instantiated by every defense with its own layer kinds.
 *
 * <p>The architecture calls a {@link NetworkBuilder} supplied by the defense; the defense decides
 * what a convolution <em>is</em> (8-bit quantized, binary, growable binary). Implementations must
 * describe the same network for the same arguments (names included: layer names appear in
 * leaderboards, traces and weight-import mappings) and must reject inputs they cannot handle with a
 * {@link BenchException}.
 */
public interface ModelArchitecture extends Component {

    /**
     * Describes the network on {@code builder}, ending with exactly one call to
     * {@link NetworkBuilder#classifier}.
     *
     * @param input      shape of one input image
     * @param numClasses number of output classes
     * @param options    architecture options from the grid (e.g. {@code width_factor}, {@code shortcut})
     */
    <T> void describe(NetworkBuilder<T> builder, Shape input, int numClasses, Options options);
}
