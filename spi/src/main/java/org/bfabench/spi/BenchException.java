package org.bfabench.spi;

/**
 * A failure the user can act on: a missing or corrupt file, a bad setting, an unknown id.
 *
 * <p>The message is shown to the user as one line, so it must name the thing that is wrong and say
 * what to do about it (for example "train-images-idx3-ubyte.gz: wrong magic number 0x00000000 (expected
 * 0x00000803); the file is not an IDX image file — re-download it"). Plugins throw it for input
 * problems; any other exception is treated as a bug in the plugin.
 */
public class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
