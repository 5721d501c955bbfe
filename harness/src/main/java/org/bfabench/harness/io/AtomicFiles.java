package org.bfabench.harness.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.bfabench.spi.BenchException;

/**
 * Crash-safe file replacement: a reader sees the old file or the complete new one, never half of it.
 *
 * <p>The bytes go to a temporary file in the target's own directory (a rename is only atomic within
 * one file system), are forced to disk, and the temp file is renamed over the target; the directory is
 * then forced too so the rename itself survives a power cut. Temp files carry {@link #TEMP_MARKER} so
 * that a run killed mid-write leaves something {@link #deleteTemps} can recognise and remove.
 *
 * <p>A failed write (disk full, read-only or non-directory path) is the user's environment, not a bug,
 * so it surfaces as a {@link BenchException} naming the file; the target keeps its old content.
 */
public final class AtomicFiles {
    /** Part of every temp file name; no finished file contains it. */
    public static final String TEMP_MARKER = ".partial-";

    private AtomicFiles() {
    }

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] content) {
        write(target, out -> out.write(content));
    }

    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, target.getFileName().toString() + TEMP_MARKER, ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                writer.writeTo(out);
                out.flush();
                ch.force(true);
            }
            moveAtomically(temp, target);
            temp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new BenchException("cannot write " + target + " (" + reason(e)
                    + "); free disk space or choose a writable --out directory", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temp marker lets the next run clean it up
                }
            }
        }
    }

    /** Renames {@code source} onto {@code target} atomically (replacing it). */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A path next to {@code target} that {@link #deleteTemps} will clean up if it is left behind. */
    public static Path tempSibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName().toString() + TEMP_MARKER + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId() + suffix);
    }

    /** Deletes temp files left in {@code dir} (not recursive) by an interrupted write; returns them. */
    public static List<Path> deleteTemps(Path dir) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_MARKER + "*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                    deleted.add(f);
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot clean temp files in " + dir + " (" + reason(e)
                    + "); make it writable or choose another --out directory", e);
        }
        return deleted;
    }

    /** The OS's reason, e.g. "/out/leaderboards: Not a directory" or "No space left on device". */
    private static String reason(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        // NoSuchFileException, AccessDeniedException, … carry only the path: keep their name as the reason
        return e instanceof java.nio.file.FileSystemException fs && fs.getReason() == null
                ? e.getClass().getSimpleName() + ": " + m : m;
    }

    private static void forceDirectory(Path dir) {
        // Linux allows fsync on a directory opened read-only; other systems may refuse, which only
        // weakens durability, not atomicity.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
