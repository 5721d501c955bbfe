package org.bfabench.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link DatasetProvider} is told when loading.
 *
 * @param dataDir  a directory the user pointed at ({@code --data-dir} or {@code BFABENCH_DATA}), if any;
 *                 a provider looks in it (and in a sub-directory named after its id) first
 * @param cacheDir a writable directory for downloads, owned by this provider's id
 * @param offline  true when downloads must not be attempted
 * @param options  the dataset's options from the grid
 */
public record DatasetContext(Optional<Path> dataDir, Path cacheDir, boolean offline, Options options) {
}
