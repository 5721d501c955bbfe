package org.bfabench.datasets.idx;

import static org.bfabench.datasets.TestFiles.gzip;
import static org.bfabench.datasets.TestFiles.idxImages;
import static org.bfabench.datasets.TestFiles.idxLabels;
import static org.bfabench.datasets.TestFiles.write;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.PinnedDigest;

/** A tiny valid IDX dataset and providers over it, shared by the IDX tests. */
final class IdxFixture {
    private IdxFixture() {
    }

    static final String[] NAMES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"};
    static final int[] TRAIN_LABELS = {0, 9, 3, 3, 7};
    static final int[] TEST_LABELS = {1, 2, 8};

    /** The four files of a tiny valid dataset (5 train, 3 test images of 28×28). */
    static Map<String, byte[]> valid() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(NAMES[0], idxImages(5, 28, 28));
        files.put(NAMES[1], idxLabels(TRAIN_LABELS));
        files.put(NAMES[2], idxImages(3, 28, 28));
        files.put(NAMES[3], idxLabels(TEST_LABELS));
        return files;
    }

    static void writeAll(Path dir, Map<String, byte[]> files, boolean gz) {
        files.forEach((name, bytes) -> write(dir.resolve(gz ? name + ".gz" : name), gz ? gzip(bytes) : bytes));
    }

    static IdxDatasetSpec spec(List<PinnedDigest> pins, List<Path> systemDirs, List<URI> mirrors) {
        return new IdxDatasetSpec("fashion-mnist", "test", IdxDatasets.FASHION_CLASSES, 28, 28,
                IdxDatasetProvider.grey(0.2860f, 0.3530f), pins, systemDirs, mirrors);
    }

    static List<PinnedDigest> unpinned() {
        return Arrays.stream(NAMES).map(PinnedDigest::unpinned).toList();
    }

    static IdxDatasetProvider provider(List<PinnedDigest> pins, List<Path> systemDirs, List<URI> mirrors) {
        return new IdxDatasetProvider(spec(pins, systemDirs, mirrors),
                new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    static IdxDatasetProvider provider() {
        return provider(unpinned(), List.of(), List.of(URI.create("http://127.0.0.1:9/")));
    }
}
