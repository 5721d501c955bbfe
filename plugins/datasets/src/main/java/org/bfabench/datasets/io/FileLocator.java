package org.bfabench.datasets.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.spi.BenchException;

/**
 * Finds the first directory, in a fixed search order, that holds every file a dataset needs. Each
 * needed file may be accepted under several names (for IDX: {@code name.gz} or the uncompressed
 * {@code name}); the first existing one wins. A directory holding some but not all of the files is an
 * error rather than silently skipped: it is almost always an interrupted copy the user should fix.
 */
public final class FileLocator {
    private FileLocator() {
    }

    /** One needed file and the names it may have, in order of preference. */
    public record Needed(String canonicalName, List<String> acceptedNames) {
    }

    /** Files found in {@code dir}, in the order of the {@link Needed} list. */
    public record Found(Path dir, List<Path> files) {
    }

    public static Optional<Found> find(List<Path> searchOrder, List<Needed> needed, String datasetId) {
        for (Path dir : searchOrder) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Needed n : needed) {
                Optional<Path> hit = n.acceptedNames().stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
                hit.ifPresentOrElse(files::add, () -> missing.add(n.acceptedNames().get(0)));
            }
            if (missing.isEmpty()) {
                return Optional.of(new Found(dir, files));
            }
            if (!files.isEmpty()) {
                throw new BenchException(datasetId + ": " + dir + " holds " + names(files) + " but is missing "
                        + String.join(", ", missing) + " — copy the missing files there (or remove the partial copy)");
            }
        }
        return Optional.empty();
    }

    private static String names(List<Path> files) {
        return String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
    }
}
