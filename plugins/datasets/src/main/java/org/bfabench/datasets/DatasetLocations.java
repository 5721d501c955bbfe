package org.bfabench.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.FileLocator;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.DatasetContext;

/**
 * The search order shared by this plugin's datasets (EVALUATION.md, "Datasets"): the user's data
 * directory ({@code --data-dir} / {@code BFABENCH_DATA}) itself, then its sub-directories named after the
 * dataset, then the system directories (Debian's {@code /usr/share/datasets/<id>}), then the cache
 * directory (and its sub-directories), and finally a download with pinned SHA-256 into the cache.
 */
public final class DatasetLocations {
    private DatasetLocations() {
    }

    /** Directories to search, in order, without duplicates. */
    public static List<Path> searchOrder(DatasetContext ctx, List<String> subdirs, List<Path> systemDirs) {
        LinkedHashSet<Path> order = new LinkedHashSet<>();
        ctx.dataDir().ifPresent(d -> {
            order.add(d);
            subdirs.forEach(s -> order.add(d.resolve(s)));
        });
        order.addAll(systemDirs);
        order.add(ctx.cacheDir());
        subdirs.forEach(s -> order.add(ctx.cacheDir().resolve(s)));
        return List.copyOf(order);
    }

    /** One file to download: its final name in the cache, the pinned SHA-256 (null: not downloadable) and the mirrors. */
    public record Download(String fileName, String sha256, List<URI> urls) {
    }

    /**
     * Downloads every file into {@code ctx.cacheDir()} (not when offline) or fails with a message saying
     * which files to put where.
     */
    public static void download(DatasetContext ctx, String datasetId, List<Path> searched, List<Download> downloads,
            String whatToPut, Downloader downloader) {
        String fix = " — put " + whatToPut + " into " + ctx.dataDir().map(Path::toString).orElse(ctx.cacheDir().toString())
                + " (or any directory passed with --data-dir), searched: " + searched;
        if (ctx.offline()) {
            throw new BenchException(datasetId + ": dataset files not found and downloads are off (offline)" + fix);
        }
        List<String> failures = new ArrayList<>();
        for (Download d : downloads) {
            if (d.sha256() == null) {
                failures.add(d.fileName() + " (no pinned SHA-256 to verify a download against)");
                continue;
            }
            Downloader.Result r = downloader.download(d.urls(), d.sha256(), ctx.cacheDir(), d.fileName());
            if (r.file().isEmpty()) {
                failures.add(d.fileName() + " (" + String.join("; ", r.failures()) + ")");
            }
        }
        if (!failures.isEmpty()) {
            throw new BenchException(datasetId + ": dataset files not found and the download failed: "
                    + String.join(", ", failures) + fix);
        }
    }

    /** The files after a download, or a failure if they still are not complete. */
    public static FileLocator.Found afterDownload(DatasetContext ctx, List<String> subdirs, List<FileLocator.Needed> needed,
            String datasetId) {
        Optional<FileLocator.Found> found = FileLocator.find(searchOrder(ctx, subdirs, List.of()), needed, datasetId);
        return found.orElseThrow(() -> new BenchException(datasetId + ": downloaded files are not in " + ctx.cacheDir()
                + " — check that the directory is writable"));
    }
}
