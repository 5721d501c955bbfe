package org.bfabench.datasets.idx;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.datasets.DatasetLocations;
import org.bfabench.datasets.DatasetOptions;
import org.bfabench.datasets.LoadedDataset;
import org.bfabench.datasets.Normalization;
import org.bfabench.datasets.io.DatasetFile;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.FileLocator;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MNIST-style datasets in IDX files: {@code fashion-mnist} and {@code mnist} (1×28×28, 10 classes).
 *
 * <p>Files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each gzip-compressed ({@code .gz},
 * detected by the magic bytes 1f 8b, not the name) or raw. Search order: see {@link DatasetLocations};
 * the system directory is {@code /usr/share/datasets/<id>} (Debian's {@code dataset-fashion-mnist}).
 *
 * <p>Normalisation: {@code (p/255 − mean)/std} with the training split's pixel statistics:
 * Fashion-MNIST mean 0.2860, std 0.3530 (checked against the real training set by this module's
 * tests); MNIST mean 0.1307, std 0.3081 (the constants of the PyTorch MNIST example, computed the same
 * way).
 *
 * <p>Checksums: each file must match the SHA-256 of the official {@code .gz} or the SHA-256 of the
 * official decompressed content (see {@link PinnedDigest}); Debian re-writes the gzip headers, so its
 * files match only the content digests. {@link Dataset#sha256()} is the SHA-256 of the lines
 * {@code "<canonical name> <content sha256>"} of the four files in the order above plus the active
 * {@code train_limit}/{@code test_limit}, so it identifies the data, whichever wrapper it came in.
 */
public final class IdxDatasetProvider implements DatasetProvider {
    private static final Logger LOG = LoggerFactory.getLogger(IdxDatasetProvider.class);
    private final IdxDatasetSpec spec;
    private final Downloader downloader;

    public IdxDatasetProvider(IdxDatasetSpec spec, Downloader downloader) {
        this.spec = spec;
        this.downloader = downloader;
    }

    public static IdxDatasetProvider fashionMnist() {
        return new IdxDatasetProvider(IdxDatasets.FASHION_MNIST, new Downloader());
    }

    public static IdxDatasetProvider mnist() {
        return new IdxDatasetProvider(IdxDatasets.MNIST, new Downloader());
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return spec.description();
    }

    @Override
    public Dataset load(DatasetContext ctx) {
        DatasetOptions opts = DatasetOptions.parse(spec.id(), ctx.options());
        List<FileLocator.Needed> needed = spec.pins().stream()
                .map(p -> new FileLocator.Needed(p.fileName(), List.of(p.fileName() + ".gz", p.fileName()))).toList();
        List<String> subdirs = List.of(spec.id());
        List<Path> order = DatasetLocations.searchOrder(ctx, subdirs, spec.systemDirs());
        Optional<FileLocator.Found> found = FileLocator.find(order, needed, spec.id());
        if (found.isEmpty()) {
            List<DatasetLocations.Download> downloads = new ArrayList<>();
            for (PinnedDigest p : spec.pins()) {
                String gz = p.fileName() + ".gz";
                downloads.add(new DatasetLocations.Download(gz, p.archiveSha256().orElse(null),
                        spec.mirrors().stream().map(m -> m.resolve(gz)).toList()));
            }
            DatasetLocations.download(ctx, spec.id(), order, downloads,
                    String.join(", ", downloads.stream().map(DatasetLocations.Download::fileName).toList()), downloader);
            found = Optional.of(DatasetLocations.afterDownload(ctx, subdirs, needed, spec.id()));
        }
        LOG.info("loading {} from {}", spec.id(), found.get().dir());
        List<DatasetFile> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DatasetFile f = DatasetFile.read(found.get().files().get(i));
            if (opts.verifyChecksum()) {
                spec.pins().get(i).verify(f, spec.id());
            }
            files.add(f);
        }
        int classes = spec.classNames().size();
        ImageSplit train = split(files.get(0), files.get(1), classes, opts.trainLimit().orElse(Integer.MAX_VALUE));
        ImageSplit test = split(files.get(2), files.get(3), classes, opts.testLimit().orElse(Integer.MAX_VALUE));
        StringBuilder digest = new StringBuilder(spec.id()).append('\n');
        for (int i = 0; i < 4; i++) {
            digest.append(spec.pins().get(i).fileName()).append(' ').append(files.get(i).contentSha256()).append('\n');
        }
        digest.append(opts.digestSuffix());
        return new LoadedDataset(spec.id(), new Shape(1, spec.rows(), spec.cols()), spec.classNames(), train, test,
                Digests.sha256(digest.toString()), found.get().dir().toString());
    }

    private ImageSplit split(DatasetFile imageFile, DatasetFile labelFile, int classes, int limit) {
        IdxReader.Images images = IdxReader.images(imageFile);
        int[] labels = IdxReader.labels(labelFile, classes);
        if (images.rows() != spec.rows() || images.cols() != spec.cols()) {
            throw new BenchException(imageFile.path() + ": wrong dimensions " + images.rows() + "x" + images.cols()
                    + ", expected " + spec.rows() + "x" + spec.cols() + " for " + spec.id() + " — use the right file");
        }
        if (images.count() != labels.length) {
            throw new BenchException(imageFile.path() + ": inconsistent sizes: " + images.count() + " images but "
                    + labelFile.name() + " has " + labels.length + " labels — the two files do not belong together");
        }
        int n = Math.min(limit, images.count());
        int plane = spec.rows() * spec.cols();
        float[] pixels = spec.norm().apply(images.data(), images.offset(), plane, n, plane);
        return new ImageSplit(new Shape(1, spec.rows(), spec.cols()), pixels, java.util.Arrays.copyOf(labels, n));
    }

    /** Base URL helper for {@link IdxDatasets}. */
    static URI base(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    static Normalization grey(float mean, float std) {
        return new Normalization(new float[] {mean}, new float[] {std});
    }
}
