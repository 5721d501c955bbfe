package org.bfabench.datasets.idx;

import static org.bfabench.datasets.TestFiles.gzip;
import static org.bfabench.datasets.idx.IdxFixture.*;
import static org.bfabench.datasets.TestFiles.idxLabels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.sun.net.httpserver.HttpServer;
import org.bfabench.datasets.TestFiles;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLocationTest {
    @TempDir
    Path tmp;

    private DatasetContext ctx(Path dataDir, Options options) {
        return new DatasetContext(Optional.ofNullable(dataDir), tmp.resolve("cache"), true, options);
    }

    @Test
    void theUserDirectoryComesBeforeTheSystemDirectoryAndItsIdSubdirectoryIsSearched() {
        Map<String, byte[]> system = valid();
        writeAll(tmp.resolve("system"), system, true);
        Map<String, byte[]> user = valid();
        user.put(NAMES[3], idxLabels(5, 5, 5));
        writeAll(tmp.resolve("user/fashion-mnist"), user, false);
        IdxDatasetProvider p = provider(unpinned(), List.of(tmp.resolve("system")), List.of());
        Dataset fromUser = p.load(ctx(tmp.resolve("user"), Options.empty()));
        assertEquals(tmp.resolve("user/fashion-mnist").toString(), fromUser.source());
        assertArrayEquals(new int[] {5, 5, 5}, fromUser.test().labels());
        Dataset fromSystem = p.load(ctx(null, Options.empty()));
        assertEquals(tmp.resolve("system").toString(), fromSystem.source());
        assertNotEquals(fromUser.sha256(), fromSystem.sha256());
    }

    @Test
    void theCacheIsSearchedLast() {
        writeAll(tmp.resolve("cache"), valid(), true);
        Dataset d = provider().load(ctx(tmp.resolve("empty-user-dir"), Options.empty()));
        assertEquals(tmp.resolve("cache").toString(), d.source());
    }

    @Test
    void offlineWithNoFilesSaysWhichFilesToPutWhere() {
        BenchException e = assertThrows(BenchException.class,
                () -> provider().load(ctx(tmp.resolve("user"), Options.empty())));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains("put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz into " + tmp.resolve("user")), e.getMessage());
    }

    @Test
    void aFailedDownloadNamesTheFilesAndTheDirectory() {
        DatasetContext online = new DatasetContext(Optional.empty(), tmp.resolve("cache"), false, Options.empty());
        List<PinnedDigest> pins = Arrays.stream(NAMES).map(n -> PinnedDigest.of(n, "a".repeat(64), null)).toList();
        BenchException e = assertThrows(BenchException.class,
                () -> provider(pins, List.of(), List.of(URI.create("http://127.0.0.1:9/"))).load(online));
        assertTrue(e.getMessage().contains("the download failed: train-images-idx3-ubyte.gz (http://127.0.0.1:9/"
                + "train-images-idx3-ubyte.gz: ConnectException"), e.getMessage());
        assertTrue(e.getMessage().contains("into " + tmp.resolve("cache")), e.getMessage());
    }

    @Test
    void downloadsWithThePinnedDigestLandInTheCacheAndAWrongDigestIsRefused() throws Exception {
        Map<String, byte[]> served = new LinkedHashMap<>();
        valid().forEach((n, b) -> served.put(n + ".gz", gzip(b)));
        HttpServer server = TestFiles.serve(served);
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            List<PinnedDigest> pins = Arrays.stream(NAMES)
                    .map(n -> PinnedDigest.of(n, Digests.sha256(served.get(n + ".gz")), null)).toList();
            DatasetContext online = new DatasetContext(Optional.empty(), tmp.resolve("cache"), false, Options.empty());
            Dataset d = provider(pins, List.of(), List.of(base)).load(online);
            assertEquals(tmp.resolve("cache").toString(), d.source());
            assertArrayEquals(TRAIN_LABELS, d.train().labels());
            assertTrue(Files.isRegularFile(tmp.resolve("cache/train-images-idx3-ubyte.gz")));

            List<PinnedDigest> wrong = Arrays.stream(NAMES).map(n -> PinnedDigest.of(n, "b".repeat(64), null)).toList();
            DatasetContext other = new DatasetContext(Optional.empty(), tmp.resolve("cache2"), false, Options.empty());
            BenchException e = assertThrows(BenchException.class, () -> provider(wrong, List.of(), List.of(base)).load(other));
            assertTrue(e.getMessage().contains("expected " + "b".repeat(64)), e.getMessage());
            try (var left = Files.list(tmp.resolve("cache2"))) {
                assertEquals(0, left.count(), "nothing unverified may stay in the cache");
            }
        } finally {
            server.stop(0);
        }
    }
}
