package org.bfabench.datasets.cifar;

import java.net.URI;
import java.util.List;
import org.bfabench.datasets.io.PinnedDigest;

/**
 * The facts of the CIFAR-10 binary distribution, replaceable in tests.
 *
 * @param trainFiles      pins of the training batches, in reading order
 * @param testFiles       pins of the test batches
 * @param recordsPerFile  records every batch must hold (10000 officially; 0 = any)
 * @param archiveUrls     where {@code cifar-10-binary.tar.gz} is downloaded from
 * @param archiveSha256   its pinned SHA-256
 */
public record Cifar10Spec(List<PinnedDigest> trainFiles, List<PinnedDigest> testFiles, int recordsPerFile,
        List<URI> archiveUrls, String archiveSha256) {
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    public static final String DIR = "cifar-10-batches-bin";
    public static final String META = "batches.meta.txt";

    public Cifar10Spec {
        trainFiles = List.copyOf(trainFiles);
        testFiles = List.copyOf(testFiles);
        archiveUrls = List.copyOf(archiveUrls);
    }

    /**
     * The official distribution. The per-batch files carry no pinned digest (no authoritative value is
     * published for them); the archive they come from is pinned, and every batch's digest enters the
     * dataset digest.
     */
    public static Cifar10Spec official() {
        return new Cifar10Spec(
                List.of(PinnedDigest.unpinned("data_batch_1.bin"), PinnedDigest.unpinned("data_batch_2.bin"),
                        PinnedDigest.unpinned("data_batch_3.bin"), PinnedDigest.unpinned("data_batch_4.bin"),
                        PinnedDigest.unpinned("data_batch_5.bin")),
                List.of(PinnedDigest.unpinned("test_batch.bin")), 10_000,
                List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")),
                "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
    }
}
