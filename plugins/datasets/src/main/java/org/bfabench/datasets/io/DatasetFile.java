package org.bfabench.datasets.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bfabench.spi.BenchException;

/**
 * One dataset file as read from disk: its decoded content (gunzipped when the file starts with the
 * gzip magic bytes {@code 1f 8b}) and two SHA-256 digests, of the bytes on disk and of the content.
 *
 * <p>Two digests because the same data ships in different wrappers: Debian's Fashion-MNIST {@code .gz}
 * files carry a rewritten gzip header (no file name, a fixed time stamp), so they differ byte-wise from
 * the official downloads while their content is identical. The content digest identifies the data.
 *
 * @param path          where it was read
 * @param content       the decoded bytes (shared, never modified after reading)
 * @param fileSha256    hex SHA-256 of the bytes on disk
 * @param contentSha256 hex SHA-256 of {@code content}
 * @param gzip          whether the file was gzip-compressed
 */
public record DatasetFile(Path path, byte[] content, String fileSha256, String contentSha256, boolean gzip) {

    /** Reads and digests {@code path}; every problem is a {@link BenchException} naming the file. */
    public static DatasetFile read(Path path) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BenchException(path + ": file is missing — put the dataset file there or point --data-dir at"
                    + " a directory that holds it");
        } catch (IOException e) {
            throw new BenchException(path + ": cannot read (" + e.getMessage() + ") — check the file's permissions");
        }
        boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
        byte[] content = gzip ? gunzip(path, raw) : raw;
        return new DatasetFile(path, content, Digests.sha256(raw), gzip ? Digests.sha256(content) : Digests.sha256(raw),
                gzip);
    }

    /** Larger than any file of the supported datasets (Fashion-MNIST train images: 47 MB). */
    static final long MAX_DECOMPRESSED = 512L << 20;

    private static byte[] gunzip(Path path, byte[] raw) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(raw.length * 2, 1024));
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                // a small forged .gz can inflate to gigabytes; no real dataset file comes close to this
                if (out.size() + (long) r > MAX_DECOMPRESSED) {
                    throw new BenchException(path + ": decompresses to more than " + (MAX_DECOMPRESSED >> 20)
                            + " MiB, far beyond any dataset file — the file is not what it claims; re-download it");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new BenchException(path + ": truncated gzip stream (the file ends early) — re-download it");
        } catch (ZipException e) {
            throw new BenchException(path + ": corrupt gzip data (" + e.getMessage() + ") — re-download it");
        } catch (IOException e) {
            throw new BenchException(path + ": cannot decompress (" + e.getMessage() + ") — re-download it");
        }
    }

    /** The file name, for messages. */
    public String name() {
        return path.getFileName().toString();
    }
}
