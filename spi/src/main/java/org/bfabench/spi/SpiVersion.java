package org.bfabench.spi;

/**
 * Version of this SPI. A plugin compiled against a different {@link #MAJOR} is refused at start-up.
 *
 * <p>{@link #MAJOR} is a compile-time constant on purpose: {@code return SpiVersion.MAJOR;} in a
 * plugin's {@link BenchPlugin#spiVersion()} is inlined by javac, so the plugin reports the major it was
 * compiled against, not the one of the host that loads it.
 */
public final class SpiVersion {
    /** Incompatible changes bump the major. */
    public static final int MAJOR = 1;
    /** Compatible additions (new default methods, new component kinds) bump the minor. */
    public static final int MINOR = 2;

    private SpiVersion() {
    }

    /** {@code MAJOR.MINOR}, for reports. */
    public static String string() {
        return MAJOR + "." + MINOR;
    }
}
