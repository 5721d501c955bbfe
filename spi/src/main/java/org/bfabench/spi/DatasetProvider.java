package org.bfabench.spi;

/**
 * Loads one dataset. Implementations locate the files (user directory, system packages, cache,
 * download with a pinned checksum), verify them, and decode them.
 *
 * <p>Contract: every problem with the files (missing, truncated, wrong magic number, inconsistent
 * sizes, checksum mismatch, offline with nothing found) is a {@link BenchException} whose message names
 * the file and says how to fix it. Loading the same bytes twice yields equal datasets.
 */
public interface DatasetProvider extends Component {

    Dataset load(DatasetContext context);
}
