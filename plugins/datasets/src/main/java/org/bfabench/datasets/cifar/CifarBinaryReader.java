package org.bfabench.datasets.cifar;

import org.bfabench.datasets.io.DatasetFile;
import org.bfabench.spi.BenchException;

/**
 * Decoder of the CIFAR-10 binary version (Krizhevsky 2009, {@code cifar-10-batches-bin}): records of
 * one label byte followed by 3072 pixel bytes — the 1024 red, then green, then blue values of a 32×32
 * image in row-major order, i.e. already channels-first. No header, no delimiter, so the file size must
 * be a multiple of 3073.
 */
public final class CifarBinaryReader {
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private CifarBinaryReader() {
    }

    /** Number of records, after checking size, the expected record count (if positive) and every label. */
    public static int records(DatasetFile file, int expectedRecords, int numClasses) {
        byte[] b = file.content();
        if (b.length == 0 || b.length % RECORD_BYTES != 0) {
            throw new BenchException(file.path() + ": inconsistent size: " + b.length + " bytes is not a positive"
                    + " multiple of the 3073-byte record (1 label + 3072 pixels); the file is truncated or not a CIFAR-10"
                    + " binary batch — re-download it");
        }
        int n = b.length / RECORD_BYTES;
        if (expectedRecords > 0 && n != expectedRecords) {
            throw new BenchException(file.path() + ": " + (n < expectedRecords ? "truncated" : "inconsistent size")
                    + ": " + n + " records, expected " + expectedRecords + " — re-download it");
        }
        for (int i = 0; i < n; i++) {
            int y = b[i * RECORD_BYTES] & 0xff;
            if (y >= numClasses) {
                throw new BenchException(file.path() + ": label " + y + " of record " + i + " is out of range 0.."
                        + (numClasses - 1) + " — the file is corrupt or not a CIFAR-10 batch");
            }
        }
        return n;
    }

    /** The first {@code n} labels. */
    public static int[] labels(DatasetFile file, int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = file.content()[i * RECORD_BYTES] & 0xff;
        }
        return labels;
    }
}
