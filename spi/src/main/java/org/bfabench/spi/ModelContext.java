package org.bfabench.spi;

/**
 * What a {@link Defense} needs to rebuild a saved model.
 *
 * @param architecture        the network
 * @param architectureOptions its options
 * @param inputShape          input image shape
 * @param numClasses          number of classes
 * @param options             the defense's options
 */
public record ModelContext(ModelArchitecture architecture, Options architectureOptions, Shape inputShape,
        int numClasses, Options options) {
}
