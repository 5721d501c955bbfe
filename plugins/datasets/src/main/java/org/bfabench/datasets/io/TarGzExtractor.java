package org.bfabench.datasets.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.bfabench.spi.BenchException;

/**
 * Extracts selected regular files from a {@code .tar.gz} (POSIX ustar / GNU tar, as the CIFAR-10
 * archive is). Only entries whose base name is in the wanted set are written, under their base name,
 * so an archive cannot write outside the target directory.
 */
public final class TarGzExtractor {
    private static final int BLOCK = 512;

    private TarGzExtractor() {
    }

    /** Extracts the wanted files into {@code dir}; returns the paths written. */
    public static List<Path> extract(Path archive, Path dir, Set<String> wanted) {
        List<Path> written = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                    throw new BenchException(archive + ": truncated tar archive — delete it and download it again");
                }
                if (isZero(header)) {
                    break;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                String base = name.substring(name.lastIndexOf('/') + 1);
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if ((type == '0' || type == 0) && wanted.contains(base)) {
                    Path tmp = Files.createTempFile(dir, base, ".part");
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        copy(in, out, size, archive);
                    }
                    Path target = dir.resolve(base);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    written.add(target);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (NumberFormatException e) {
            throw new BenchException(archive + ": corrupt tar header — delete it and download it again");
        } catch (IOException e) {
            throw new BenchException(archive + ": cannot extract (" + e.getMessage() + ") — delete it and download it"
                    + " again");
        }
        return written;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BenchException(archive + ": truncated tar archive — delete it and download it again");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
