package org.bfabench.spi;

/**
 * A loaded image-classification dataset: an immutable train and test split plus identity.
 *
 * <p>{@link #sha256()} must identify the exact bytes that were read (for example the SHA-256 of the
 * concatenated SHA-256s of the files); it goes into every cache key and every leaderboard row, so two
 * different files must never yield the same value.
 */
public interface Dataset {

    /** The provider id, e.g. {@code fashion-mnist}. */
    String id();

    Shape inputShape();

    int numClasses();

    /** Human-readable class names, {@code numClasses()} of them. */
    java.util.List<String> classNames();

    ImageSplit train();

    ImageSplit test();

    /** Content hash of the files read (hex). */
    String sha256();

    /** Where the data was read from, for reports (a directory or file path). */
    String source();
}
