package org.bfabench.datasets.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The fuzz oracle: what a straightforward decode of (possibly mutated) file bytes must yield, written
 * from the format descriptions alone (IDX: big-endian magic, sizes, row-major bytes; CIFAR-10 binary:
 * 1 label + 3072 pixel records; pixels {@code (p/255 − mean)/std}), never from the provider's code.
 *
 * <p>Gzip is decoded with the JDK's RFC 1952 implementation, which — like {@code gzip -d} — ignores
 * bytes after a complete member that do not start another member; so appended garbage after a gzip
 * stream leaves the content, and therefore the expected data, unchanged.
 */
final class ReferenceDecoder {
    private ReferenceDecoder() {
    }

    /** One decoded split: labels and normalised pixels, in file order. */
    record Split(int[] labels, float[] pixels) {
    }

    /** The data a load must return. */
    record Expected(Split train, Split test) {
    }

    /** The content of a file: gunzipped when it starts with 1f 8b; empty when the gzip stream is broken. */
    static Optional<byte[]> content(byte[] disk) {
        if (disk.length < 2 || (disk[0] & 0xff) != 0x1f || (disk[1] & 0xff) != 0x8b) {
            return Optional.of(disk);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(disk))) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Decoded contents, or empty when any file cannot be decoded. */
    static Optional<List<byte[]>> contents(List<byte[]> disk) {
        byte[][] out = new byte[disk.size()][];
        for (int i = 0; i < out.length; i++) {
            Optional<byte[]> c = content(disk.get(i));
            if (c.isEmpty()) {
                return Optional.empty();
            }
            out[i] = c.get();
        }
        return Optional.of(List.of(out));
    }

    /** Fashion-MNIST-shaped IDX: train images, train labels, test images, test labels. */
    static Optional<Expected> idx(List<byte[]> contents, int classes, float mean, float std) {
        Optional<Split> train = idxSplit(contents.get(0), contents.get(1), classes, mean, std);
        Optional<Split> test = idxSplit(contents.get(2), contents.get(3), classes, mean, std);
        return train.isPresent() && test.isPresent() ? Optional.of(new Expected(train.get(), test.get()))
                : Optional.empty();
    }

    private static Optional<Split> idxSplit(byte[] images, byte[] labels, int classes, float mean, float std) {
        if (images.length < 16 || labels.length < 8) {
            return Optional.empty();
        }
        ByteBuffer ih = ByteBuffer.wrap(images);
        ByteBuffer lh = ByteBuffer.wrap(labels);
        int imagesMagic = ih.getInt();
        long n = ih.getInt();
        long rows = ih.getInt();
        long cols = ih.getInt();
        int labelsMagic = lh.getInt();
        long m = lh.getInt();
        BigInteger declared = BigInteger.valueOf(n).multiply(BigInteger.valueOf(rows)).multiply(BigInteger.valueOf(cols))
                .add(BigInteger.valueOf(16));
        if (imagesMagic != 0x803 || labelsMagic != 0x801 || n <= 0 || m <= 0 || rows != 28 || cols != 28
                || !declared.equals(BigInteger.valueOf(images.length)) || labels.length != 8 + m || n != m) {
            return Optional.empty();
        }
        int[] y = new int[(int) n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[8 + i] & 0xff;
            if (y[i] >= classes) {
                return Optional.empty();
            }
        }
        float[] x = new float[images.length - 16];
        for (int k = 0; k < x.length; k++) {
            x[k] = ((images[16 + k] & 0xff) / 255f - mean) / std;
        }
        return Optional.of(new Split(y, x));
    }

    /** CIFAR-10 binary batches, each holding exactly {@code records} records. */
    static Optional<Split> cifar(List<byte[]> batches, int records, int classes, float[] mean, float[] std) {
        int[] y = new int[0];
        float[] x = new float[0];
        for (byte[] b : batches) {
            if (b.length != records * 3073) {
                return Optional.empty();
            }
            int base = y.length;
            y = Arrays.copyOf(y, base + records);
            x = Arrays.copyOf(x, (base + records) * 3072);
            for (int r = 0; r < records; r++) {
                y[base + r] = b[r * 3073] & 0xff;
                if (y[base + r] >= classes) {
                    return Optional.empty();
                }
                for (int j = 0; j < 3072; j++) {
                    int c = j / 1024;
                    x[(base + r) * 3072 + j] = ((b[r * 3073 + 1 + j] & 0xff) / 255f - mean[c]) / std[c];
                }
            }
        }
        return Optional.of(new Split(y, x));
    }
}
