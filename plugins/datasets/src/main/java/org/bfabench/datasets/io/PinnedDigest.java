package org.bfabench.datasets.io;

import java.util.Optional;
import org.bfabench.spi.BenchException;

/**
 * The known-good identity of one dataset file: the SHA-256 of the official download (a {@code .gz} or
 * an archive) and/or the SHA-256 of its decoded content. A file passes when either matches, so the
 * official gzip, a re-compressed copy (Debian's) and an uncompressed copy are all accepted when their
 * content is the official one.
 *
 * @param fileName      the file's canonical name, e.g. {@code train-images-idx3-ubyte}
 * @param archiveSha256 SHA-256 of the official compressed file, if pinned
 * @param contentSha256 SHA-256 of the decoded content, if pinned
 */
public record PinnedDigest(String fileName, Optional<String> archiveSha256, Optional<String> contentSha256) {

    public static PinnedDigest of(String fileName, String archiveSha256, String contentSha256) {
        return new PinnedDigest(fileName, Optional.ofNullable(archiveSha256), Optional.ofNullable(contentSha256));
    }

    public static PinnedDigest unpinned(String fileName) {
        return new PinnedDigest(fileName, Optional.empty(), Optional.empty());
    }

    public boolean isPinned() {
        return archiveSha256.isPresent() || contentSha256.isPresent();
    }

    /**
     * Fails with a message naming the file, the expected and the actual digests unless the file matches
     * a pinned digest; an unpinned file passes.
     */
    public void verify(DatasetFile file, String datasetId) {
        if (!isPinned() || archiveSha256.filter(file.fileSha256()::equals).isPresent()
                || contentSha256.filter(file.contentSha256()::equals).isPresent()) {
            return;
        }
        StringBuilder expected = new StringBuilder();
        contentSha256.ifPresent(d -> expected.append(d).append(" (content)"));
        archiveSha256.ifPresent(d -> expected.append(expected.length() > 0 ? " or " : "").append(d)
                .append(" (official .gz)"));
        String actual = file.gzip()
                ? file.contentSha256() + " (content), " + file.fileSha256() + " (file)"
                : file.contentSha256();
        throw new BenchException(file.path() + ": SHA-256 mismatch: expected " + expected + ", actual " + actual
                + "; the file is corrupt or not the official " + datasetId + " file — re-download it, or set the"
                + " dataset option verify_checksum: false to use it anyway");
    }
}
