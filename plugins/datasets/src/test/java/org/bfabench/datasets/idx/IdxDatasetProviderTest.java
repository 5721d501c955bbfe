package org.bfabench.datasets.idx;

import static org.bfabench.datasets.TestFiles.gzip;
import static org.bfabench.datasets.idx.IdxFixture.*;
import static org.bfabench.datasets.TestFiles.idxImages;
import static org.bfabench.datasets.TestFiles.idxLabels;
import static org.bfabench.datasets.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.datasets.TestFiles;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetProviderTest {
    @TempDir
    Path tmp;

    private DatasetContext ctx(Path dataDir, Options options) {
        return new DatasetContext(Optional.ofNullable(dataDir), tmp.resolve("cache"), true, options);
    }

    private BenchException failure(Map<String, byte[]> files, boolean gz) {
        Path dir = tmp.resolve("data");
        writeAll(dir, files, gz);
        return assertThrows(BenchException.class, () -> provider().load(ctx(dir, Options.empty())));
    }

    @Test
    void gzipAndRawFilesDecodeToTheSameNormalisedPixelsLabelsAndDigest() {
        writeAll(tmp.resolve("gz"), valid(), true);
        writeAll(tmp.resolve("raw"), valid(), false);
        Dataset gz = provider().load(ctx(tmp.resolve("gz"), Options.empty()));
        Dataset raw = provider().load(ctx(tmp.resolve("raw"), Options.empty()));
        assertEquals(5, gz.train().size());
        assertEquals(3, gz.test().size());
        assertArrayEquals(TRAIN_LABELS, gz.train().labels());
        assertArrayEquals(TEST_LABELS, gz.test().labels());
        assertEquals(gz.train().pixels(), raw.train().pixels());
        assertEquals(gz.sha256(), raw.sha256());
        assertEquals(10, gz.numClasses());
        assertEquals("1x28x28", gz.inputShape().toString());
    }

    @Test
    void pixelsAreDividedBy255ThenStandardisedWithTheDatasetMeanAndStd() {
        writeAll(tmp.resolve("raw"), valid(), false);
        Dataset d = provider().load(ctx(tmp.resolve("raw"), Options.empty()));
        float[] image = new float[784];
        d.train().copyImage(2, image, 0);
        for (int j = 0; j < 784; j++) {
            assertEquals((TestFiles.pixel(2, j) / 255f - 0.2860f) / 0.3530f, image[j], 1e-6f, "pixel " + j);
        }
    }

    @Test
    void loadingTheSameBytesTwiceGivesEqualDatasets() {
        writeAll(tmp.resolve("raw"), valid(), false);
        assertEquals(provider().load(ctx(tmp.resolve("raw"), Options.empty())),
                provider().load(ctx(tmp.resolve("raw"), Options.empty())));
    }

    @Test
    void limitsKeepTheFirstImagesAndChangeTheDigest() {
        writeAll(tmp.resolve("raw"), valid(), false);
        Dataset full = provider().load(ctx(tmp.resolve("raw"), Options.empty()));
        Dataset small = provider().load(ctx(tmp.resolve("raw"), Options.of(Map.of("train_limit", 2, "test_limit", 1))));
        assertArrayEquals(new int[] {0, 9}, small.train().labels());
        assertArrayEquals(new int[] {1}, small.test().labels());
        assertEquals(full.train().range(0, 2).images().length, small.train().all().images().length);
        assertArrayEquals(full.train().range(0, 2).images(), small.train().all().images());
        assertNotEquals(full.sha256(), small.sha256());
    }

    @Test
    void aDirectoryMissingOneFileIsNamedWithTheMissingFile() {
        Map<String, byte[]> files = valid();
        files.remove(NAMES[3]);
        BenchException e = failure(files, true);
        assertTrue(e.getMessage().contains("missing t10k-labels-idx1-ubyte.gz"), e.getMessage());
    }

    @Test
    void aTruncatedRawImageFileIsReportedAsTruncated() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[0], Arrays.copyOf(files.get(NAMES[0]), 16 + 4 * 784 + 100));
        BenchException e = failure(files, false);
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte: truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("5 images of 28x28"), e.getMessage());
    }

    @Test
    void aTruncatedGzipStreamIsReportedAsTruncated() {
        Path dir = tmp.resolve("data");
        writeAll(dir, valid(), true);
        byte[] gz = gzip(valid().get(NAMES[2]));
        write(dir.resolve(NAMES[2] + ".gz"), Arrays.copyOf(gz, gz.length / 2));
        BenchException e = assertThrows(BenchException.class, () -> provider().load(ctx(dir, Options.empty())));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: truncated gzip stream"), e.getMessage());
    }

    @Test
    void aLabelFileInPlaceOfAnImageFileHasTheWrongMagicNumber() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[0], idxLabels(TRAIN_LABELS));
        BenchException e = failure(files, true);
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: wrong magic number 0x00000801 (expected 0x00000803)"),
                e.getMessage());
    }

    @Test
    void aHeaderShorterThanSixteenBytesIsTruncated() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[2], new byte[] {0, 0, 8, 3, 0});
        BenchException e = failure(files, false);
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte: truncated: 5 bytes"), e.getMessage());
    }

    @Test
    void extraBytesAfterTheDeclaredLabelsAreAnInconsistentSize() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[1], Arrays.copyOf(idxLabels(TRAIN_LABELS), 8 + 6));
        BenchException e = failure(files, false);
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: inconsistent size"), e.getMessage());
    }

    @Test
    void moreImagesThanLabelsAreInconsistentSizes() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[1], idxLabels(0, 1, 2, 3));
        BenchException e = failure(files, true);
        assertTrue(e.getMessage().contains("inconsistent sizes: 5 images but train-labels-idx1-ubyte.gz has 4 labels"),
                e.getMessage());
    }

    @Test
    void imagesOfTheWrongSizeAreRejected() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[2], idxImages(3, 32, 32));
        BenchException e = failure(files, true);
        assertTrue(e.getMessage().contains("wrong dimensions 32x32, expected 28x28"), e.getMessage());
    }

    @Test
    void aLabelOutsideTheClassesIsRejected() {
        Map<String, byte[]> files = valid();
        files.put(NAMES[3], idxLabels(1, 10, 2));
        BenchException e = failure(files, true);
        assertTrue(e.getMessage().contains("label 10 of item 1 is out of range 0..9"), e.getMessage());
    }

    @Test
    void aChecksumMismatchNamesTheFileAndBothDigestsUnlessVerificationIsOff() {
        Path dir = tmp.resolve("data");
        writeAll(dir, valid(), true);
        List<PinnedDigest> pins = new java.util.ArrayList<>(unpinned());
        String wrong = "0".repeat(64);
        pins.set(1, PinnedDigest.of(NAMES[1], null, wrong));
        IdxDatasetProvider p = provider(pins, List.of(), List.of());
        BenchException e = assertThrows(BenchException.class, () -> p.load(ctx(dir, Options.empty())));
        String actual = Digests.sha256(idxLabels(TRAIN_LABELS));
        assertTrue(e.getMessage().startsWith(dir.resolve(NAMES[1] + ".gz") + ": SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong + " (content)"), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + actual + " (content)"), e.getMessage());
        assertEquals(5, p.load(ctx(dir, Options.of(Map.of("verify_checksum", false)))).train().size());
    }

    @Test
    void aRecompressedFilePassesOnItsContentDigestAndTheOfficialGzOnItsArchiveDigest() {
        Map<String, byte[]> files = valid();
        Path dir = tmp.resolve("data");
        writeAll(dir, files, true);
        List<PinnedDigest> pins = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] raw = files.get(NAMES[i]);
            // even files: only the content is pinned; odd files: only the exact .gz bytes written above
            pins.add(i % 2 == 0 ? PinnedDigest.of(NAMES[i], "f".repeat(64), Digests.sha256(raw))
                    : PinnedDigest.of(NAMES[i], Digests.sha256(gzip(raw)), null));
        }
        assertEquals(3, provider(pins, List.of(), List.of()).load(ctx(dir, Options.empty())).test().size());
    }

    @Test
    void unknownOptionsAndBadLimitsAreRejected() {
        writeAll(tmp.resolve("raw"), valid(), false);
        BenchException e = assertThrows(BenchException.class,
                () -> provider().load(ctx(tmp.resolve("raw"), Options.of(Map.of("train_limt", 5)))));
        assertTrue(e.getMessage().contains("unknown option 'train_limt'; known options: check_record_count, test_limit,"
                + " train_limit, verify_checksum"), e.getMessage());
        assertThrows(BenchException.class,
                () -> provider().load(ctx(tmp.resolve("raw"), Options.of(Map.of("test_limit", 0)))));
    }
}
