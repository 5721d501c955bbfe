package org.bfabench.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bfabench.datasets.io.DatasetFile;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Fashion-MNIST of Debian's dataset-fashion-mnist package (skipped when it is not installed). */
class RealFashionMnistTest {
    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path cache;

    @Test
    void debianFilesAreReGzippedButHoldTheOfficialContent() {
        assumeTrue(Files.isDirectory(DEBIAN), "dataset-fashion-mnist is not installed");
        for (PinnedDigest pin : IdxDatasets.FASHION_MNIST.pins()) {
            DatasetFile f = DatasetFile.read(DEBIAN.resolve(pin.fileName() + ".gz"));
            assertTrue(f.gzip());
            assertEquals(pin.contentSha256().orElseThrow(), f.contentSha256(), pin.fileName());
            assertNotEquals(pin.archiveSha256().orElseThrow(), f.fileSha256(), pin.fileName());
        }
    }

    @Test
    void theDebianCopyLoadsAsTheFullVerifiedStandardisedClassBalancedDataset() {
        assumeTrue(Files.isDirectory(DEBIAN), "dataset-fashion-mnist is not installed");
        Dataset d = IdxDatasetProvider.fashionMnist()
                .load(new DatasetContext(Optional.empty(), cache, true, Options.empty()));
        assertEquals(DEBIAN.toString(), d.source());
        assertEquals(60_000, d.train().size());
        assertEquals(10_000, d.test().size());
        assertEquals("1x28x28", d.inputShape().toString());
        assertEquals("T-shirt/top", d.classNames().get(0));
        assertEquals("Ankle boot", d.classNames().get(9));
        int[] trainCounts = counts(d.train());
        int[] testCounts = counts(d.test());
        for (int c = 0; c < 10; c++) {
            assertEquals(6_000, trainCounts[c], "train class " + c);
            assertEquals(1_000, testCounts[c], "test class " + c);
        }
        // the documented constants are the training set's statistics: standardised pixels have mean ≈ 0, std ≈ 1
        FloatBuffer px = d.train().pixels();
        double sum = 0;
        double sumSq = 0;
        int n = px.remaining();
        for (int i = 0; i < n; i++) {
            double v = px.get(i);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertEquals(0.0, mean, 1e-3, "mean of standardised training pixels");
        assertEquals(1.0, std, 2e-3, "std of standardised training pixels");
        assertEquals(64, d.sha256().length());
    }

    private static int[] counts(ImageSplit split) {
        int[] counts = new int[10];
        for (int y : split.labels()) {
            counts[y]++;
        }
        return counts;
    }
}
