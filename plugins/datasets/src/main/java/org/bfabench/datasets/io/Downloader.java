package org.bfabench.datasets.io;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file from a list of mirror URLs into a directory, verifying its SHA-256 before it
 * appears under its final name (written to a temporary file, then atomically renamed), so an
 * interrupted or corrupt download never poses as a dataset file.
 */
public final class Downloader {
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private final HttpClient client;
    private final Duration requestTimeout;

    public Downloader() {
        this(Duration.ofSeconds(15), Duration.ofMinutes(15));
    }

    public Downloader(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.requestTimeout = requestTimeout;
    }

    /** The outcome: the file, or why every mirror failed. */
    public record Result(Optional<Path> file, List<String> failures) {
    }

    /**
     * Tries {@code urls} in order and stores the first download whose SHA-256 equals
     * {@code expectedSha256} as {@code dir/fileName}.
     */
    public Result download(List<URI> urls, String expectedSha256, Path dir, String fileName) {
        List<String> failures = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return new Result(Optional.empty(), List.of("cannot create " + dir + ": " + e.getMessage()));
        }
        for (URI url : urls) {
            Path tmp = null;
            try {
                tmp = Files.createTempFile(dir, fileName, ".part");
                LOG.info("downloading {} to {}", url, dir);
                HttpResponse<Path> response = client.send(HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build(),
                        HttpResponse.BodyHandlers.ofFile(tmp));
                if (response.statusCode() != 200) {
                    failures.add(url + ": HTTP " + response.statusCode());
                    continue;
                }
                String actual = Digests.sha256(tmp);
                if (!actual.equals(expectedSha256)) {
                    failures.add(url + ": SHA-256 " + actual + ", expected " + expectedSha256);
                    continue;
                }
                Path target = dir.resolve(fileName);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
                return new Result(Optional.of(target), failures);
            } catch (IOException e) {
                failures.add(url + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(url + ": interrupted");
                break;
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a stale .part file is harmless: it never matches a dataset file name
                    }
                }
            }
        }
        return new Result(Optional.empty(), failures);
    }
}
