package org.bfabench.harness.plugin;

/**
 * One line of the "plugins loaded" report.
 *
 * @param id          component id
 * @param kind        dataset, model, defense or attack
 * @param version     component version
 * @param source      {@code built-in} or jar path
 * @param spiVersion  SPI major the plugin was compiled against
 * @param description one-line description
 */
public record PluginReportRow(String id, String kind, String version, String source, int spiVersion,
        String description) {
}
