package org.bfabench.harness.store;

/**
 * What produced a cell.
 *
 * @param bfabenchVersion harness version
 * @param gitCommit       {@code git rev-parse HEAD} of the working directory (with {@code -dirty} when the
 *                        tracked files had changes), or {@code unknown}
 * @param spiVersion      SPI version of the harness
 */
public record Provenance(String bfabenchVersion, String gitCommit, String spiVersion) {
}
