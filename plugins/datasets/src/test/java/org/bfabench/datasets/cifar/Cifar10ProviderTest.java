package org.bfabench.datasets.cifar;

import static org.bfabench.datasets.TestFiles.cifarBatch;
import static org.bfabench.datasets.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.sun.net.httpserver.HttpServer;
import org.bfabench.datasets.TestFiles;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ProviderTest {
    @TempDir
    Path tmp;

    /** Two training batches of 3 records and one test batch of 3, as the real layout but smaller. */
    private static Cifar10Spec spec(String archiveSha, URI url) {
        return new Cifar10Spec(List.of(PinnedDigest.unpinned("data_batch_1.bin"), PinnedDigest.unpinned("data_batch_2.bin")),
                List.of(PinnedDigest.unpinned("test_batch.bin")), 3, List.of(url), archiveSha);
    }

    private static Cifar10Provider provider() {
        return new Cifar10Provider(spec("0".repeat(64), URI.create("http://127.0.0.1:9/x.tar.gz")),
                new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    private static Map<String, byte[]> batches() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("data_batch_1.bin", cifarBatch(6, 9, 9));
        files.put("data_batch_2.bin", cifarBatch(4, 1, 1));
        files.put("test_batch.bin", cifarBatch(3, 8, 0));
        return files;
    }

    private DatasetContext ctx(Path dataDir, Options options) {
        return new DatasetContext(Optional.ofNullable(dataDir), tmp.resolve("cache"), true, options);
    }

    private BenchException failure(Map<String, byte[]> files) {
        Path dir = tmp.resolve("data");
        files.forEach((n, b) -> write(dir.resolve(n), b));
        return assertThrows(BenchException.class, () -> provider().load(ctx(dir, Options.empty())));
    }

    @Test
    void batchesAreConcatenatedInOrderAndEachChannelIsStandardisedWithItsOwnConstants() {
        Path dir = tmp.resolve("data/cifar-10-batches-bin");
        batches().forEach((n, b) -> write(dir.resolve(n), b));
        Dataset d = provider().load(ctx(tmp.resolve("data"), Options.empty()));
        assertEquals(dir.toString(), d.source());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1}, d.train().labels());
        assertArrayEquals(new int[] {3, 8, 0}, d.test().labels());
        assertEquals("3x32x32", d.inputShape().toString());
        float[] mean = {0.4914f, 0.4822f, 0.4465f};
        float[] std = {0.2470f, 0.2435f, 0.2616f};
        float[] image = new float[3072];
        d.train().copyImage(4, image, 0); // record 1 of data_batch_2
        for (int j = 0; j < 3072; j++) {
            int c = j / 1024;
            assertEquals((TestFiles.pixel(1, j) / 255f - mean[c]) / std[c], image[j], 1e-6f, "value " + j);
        }
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                d.classNames());
    }

    @Test
    void classNamesComeFromBatchesMetaTxtWhenPresent() {
        Path dir = tmp.resolve("data");
        batches().forEach((n, b) -> write(dir.resolve(n), b));
        String names = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n";
        write(dir.resolve("batches.meta.txt"), names.getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                provider().load(ctx(dir, Options.empty())).classNames());
        write(dir.resolve("batches.meta.txt"), "a\nb\n".getBytes(StandardCharsets.US_ASCII));
        BenchException e = assertThrows(BenchException.class, () -> provider().load(ctx(dir, Options.empty())));
        assertTrue(e.getMessage().contains("batches.meta.txt: lists 2 class names, expected 10"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAMultipleOf3073BytesIsAnInconsistentSize() {
        Map<String, byte[]> files = batches();
        files.put("data_batch_2.bin", Arrays.copyOf(files.get("data_batch_2.bin"), 3 * 3073 - 10));
        BenchException e = failure(files);
        assertTrue(e.getMessage().contains("data_batch_2.bin: inconsistent size: 9209 bytes is not a positive multiple"),
                e.getMessage());
    }

    @Test
    void aBatchWithFewerRecordsThanExpectedIsTruncated() {
        Map<String, byte[]> files = batches();
        files.put("test_batch.bin", cifarBatch(3, 8));
        BenchException e = failure(files);
        assertTrue(e.getMessage().contains("test_batch.bin: truncated: 2 records, expected 3"), e.getMessage());
    }

    @Test
    void aLabelAboveNineIsRejected() {
        Map<String, byte[]> files = batches();
        files.put("data_batch_1.bin", cifarBatch(6, 10, 9));
        BenchException e = failure(files);
        assertTrue(e.getMessage().contains("data_batch_1.bin: label 10 of record 1 is out of range 0..9"), e.getMessage());
    }

    @Test
    void aMissingBatchIsNamed() {
        Map<String, byte[]> files = batches();
        files.remove("data_batch_2.bin");
        BenchException e = failure(files);
        assertTrue(e.getMessage().contains("is missing data_batch_2.bin"), e.getMessage());
    }

    @Test
    void aTrainLimitSpanningTwoBatchesTakesTheFirstImagesInFileOrder() {
        Path dir = tmp.resolve("data");
        batches().forEach((n, b) -> write(dir.resolve(n), b));
        Dataset d = provider().load(ctx(dir, Options.of(Map.of("train_limit", 4))));
        assertArrayEquals(new int[] {6, 9, 9, 4}, d.train().labels());
        Dataset full = provider().load(ctx(dir, Options.empty()));
        assertArrayEquals(full.train().range(0, 4).images(), d.train().all().images());
    }

    @Test
    void theOfficialArchiveIsDownloadedVerifiedAndItsBatchesExtractedIntoTheCacheReplacingACorruptOne() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/readme.html", "<html/>".getBytes(StandardCharsets.US_ASCII));
        batches().forEach((n, b) -> entries.put("cifar-10-batches-bin/" + n, b));
        byte[] archive = TestFiles.tarGz(entries);
        HttpServer server = TestFiles.serve(Map.of("cifar-10-binary.tar.gz", archive));
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
            Cifar10Provider p = new Cifar10Provider(spec(Digests.sha256(archive), url), new Downloader());
            // a stale, corrupt archive in the cache must be replaced, not extracted
            write(tmp.resolve("cache/cifar-10-binary.tar.gz"), Arrays.copyOf(archive, archive.length / 2));
            DatasetContext online = new DatasetContext(Optional.empty(), tmp.resolve("cache"), false, Options.empty());
            Dataset d = p.load(online);
            assertEquals(tmp.resolve("cache/cifar-10-batches-bin").toString(), d.source());
            assertArrayEquals(new int[] {3, 8, 0}, d.test().labels());
            assertTrue(Files.notExists(tmp.resolve("cache/cifar-10-batches-bin/readme.html")));
            assertEquals(d, p.load(new DatasetContext(Optional.empty(), tmp.resolve("cache"), true, Options.empty())));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void offlineWithoutFilesSaysWhichFilesToPutWhere() {
        BenchException e = assertThrows(BenchException.class, () -> provider().load(ctx(tmp.resolve("user"), Options.empty())));
        assertTrue(e.getMessage().startsWith("cifar10: dataset files not found and downloads are off (offline)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("test_batch.bin (from cifar-10-binary.tar.gz, cifar-10-batches-bin/) into "
                + tmp.resolve("user")), e.getMessage());
    }

    @Test
    void theOfficialSpecRejectsSmallBatchesUnlessCheckRecordCountIsOff() {
        Path dir = tmp.resolve("data");
        for (int i = 1; i <= 5; i++) {
            write(dir.resolve("data_batch_" + i + ".bin"), cifarBatch(i, 9 - i));
        }
        write(dir.resolve("test_batch.bin"), cifarBatch(3, 8, 0));
        BenchException e = assertThrows(BenchException.class, () -> Cifar10Provider.standard().load(ctx(dir, Options.empty())));
        assertTrue(e.getMessage().contains("data_batch_1.bin: truncated: 2 records, expected 10000"), e.getMessage());
        Dataset d = Cifar10Provider.standard().load(ctx(dir, Options.of(Map.of("check_record_count", false))));
        assertArrayEquals(new int[] {1, 8, 2, 7, 3, 6, 4, 5, 5, 4}, d.train().labels());
        assertArrayEquals(new int[] {3, 8, 0}, d.test().labels());
    }
}
