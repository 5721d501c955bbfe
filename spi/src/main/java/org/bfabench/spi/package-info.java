/**
 * The bfabench service-provider interface: the only artifact a third-party plugin compiles against.
 *
 * <p>A plugin jar lists one {@link org.bfabench.spi.BenchPlugin} implementation in
 * {@code META-INF/services/org.bfabench.spi.BenchPlugin}. The harness discovers it with
 * {@link java.util.ServiceLoader}, checks {@link org.bfabench.spi.BenchPlugin#spiVersion()} against
 * {@link org.bfabench.spi.SpiVersion#MAJOR}, validates the ids of its components, and from then on
 * calls the components through these interfaces only. The SPI depends on nothing but the JDK: no
 * Guice, no ND4J, no harness type crosses it.
 */
package org.bfabench.spi;
