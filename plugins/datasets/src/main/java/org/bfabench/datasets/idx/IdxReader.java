package org.bfabench.datasets.idx;

import java.nio.ByteBuffer;
import org.bfabench.datasets.io.DatasetFile;
import org.bfabench.spi.BenchException;

/**
 * Decoder of the IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header — magic
 * {@code 0x00000803} for unsigned-byte 3-D image files, {@code 0x00000801} for 1-D label files — with
 * the dimension sizes, followed by the bytes row-major. Every inconsistency is a
 * {@link BenchException} naming the file.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images of one IDX file: pixel bytes of image i start at {@code offset + i·rows·cols} in {@code data}. */
    public record Images(int count, int rows, int cols, byte[] data, int offset) {
    }

    public static Images images(DatasetFile file) {
        byte[] b = file.content();
        ByteBuffer h = ByteBuffer.wrap(b);
        magic(file, IMAGES_MAGIC, "an IDX image file");
        header(file, 16);
        h.getInt();
        int n = h.getInt();
        int rows = h.getInt();
        int cols = h.getInt();
        if (n <= 0 || rows <= 0 || cols <= 0) {
            throw new BenchException(file.path() + ": bad IDX header (" + n + " images of " + rows + "x" + cols
                    + ") — re-download the file");
        }
        long pixels;
        try {
            pixels = Math.multiplyExact(Math.multiplyExact((long) n, (long) rows), (long) cols);
        } catch (ArithmeticException e) {
            throw new BenchException(file.path() + ": bad IDX header (" + n + " images of " + rows + "x" + cols
                    + " overflows any file size) — re-download the file");
        }
        size(file, 16L + pixels, n + " images of " + rows + "x" + cols);
        return new Images(n, rows, cols, b, 16);
    }

    /** Labels of one IDX file, each checked to lie in {@code [0, numClasses)}. */
    public static int[] labels(DatasetFile file, int numClasses) {
        byte[] b = file.content();
        ByteBuffer h = ByteBuffer.wrap(b);
        magic(file, LABELS_MAGIC, "an IDX label file");
        header(file, 8);
        h.getInt();
        int n = h.getInt();
        if (n <= 0) {
            throw new BenchException(file.path() + ": bad IDX header (" + n + " labels) — re-download the file");
        }
        size(file, 8L + n, n + " labels");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int y = b[8 + i] & 0xff;
            if (y >= numClasses) {
                throw new BenchException(file.path() + ": label " + y + " of item " + i + " is out of range 0.."
                        + (numClasses - 1) + " — the file is corrupt or belongs to another dataset");
            }
            labels[i] = y;
        }
        return labels;
    }

    private static void header(DatasetFile file, int bytes) {
        if (file.content().length < bytes) {
            throw new BenchException(file.path() + ": truncated: " + file.content().length + " bytes, shorter than the "
                    + bytes + "-byte IDX header — re-download the file");
        }
    }

    private static void magic(DatasetFile file, int expected, String what) {
        header(file, 4);
        int actual = ByteBuffer.wrap(file.content()).getInt();
        if (actual != expected) {
            throw new BenchException(String.format("%s: wrong magic number 0x%08x (expected 0x%08x); the file is not %s"
                    + " — re-download it", file.path(), actual, expected, what));
        }
    }

    private static void size(DatasetFile file, long expected, String declared) {
        long actual = file.content().length;
        if (actual < expected) {
            throw new BenchException(file.path() + ": truncated: the header declares " + declared + " (" + expected
                    + " bytes" + (file.gzip() ? " decompressed" : "") + ") but there are " + actual
                    + " — re-download the file");
        }
        if (actual > expected) {
            throw new BenchException(file.path() + ": inconsistent size: the header declares " + declared + " ("
                    + expected + " bytes) but there are " + actual + " — re-download the file");
        }
    }
}
