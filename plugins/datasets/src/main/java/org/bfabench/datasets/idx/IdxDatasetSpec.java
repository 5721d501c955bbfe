package org.bfabench.datasets.idx;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.bfabench.datasets.Normalization;
import org.bfabench.datasets.io.PinnedDigest;

/**
 * Everything that distinguishes one IDX dataset from another.
 *
 * @param id          provider id
 * @param description one line for the plugin report
 * @param classNames  label i's name at index i
 * @param rows        expected image height
 * @param cols        expected image width
 * @param norm        the normalisation constants (one channel)
 * @param pins        pinned digests of train images, train labels, test images, test labels, in that order,
 *                    whose {@code fileName}s are the canonical file names (without {@code .gz})
 * @param systemDirs  system-wide installation directories, searched after the user's data directory
 * @param mirrors     base URLs the {@code .gz} files are downloaded from, in order
 */
public record IdxDatasetSpec(String id, String description, List<String> classNames, int rows, int cols,
        Normalization norm, List<PinnedDigest> pins, List<Path> systemDirs, List<URI> mirrors) {
    public IdxDatasetSpec {
        classNames = List.copyOf(classNames);
        pins = List.copyOf(pins);
        systemDirs = List.copyOf(systemDirs);
        mirrors = List.copyOf(mirrors);
        if (pins.size() != 4) {
            throw new IllegalArgumentException("an IDX dataset has four files");
        }
    }
}
