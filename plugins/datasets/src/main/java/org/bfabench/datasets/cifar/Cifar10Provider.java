package org.bfabench.datasets.cifar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bfabench.datasets.DatasetLocations;
import org.bfabench.datasets.DatasetOptions;
import org.bfabench.datasets.LoadedDataset;
import org.bfabench.datasets.Normalization;
import org.bfabench.datasets.io.DatasetFile;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.FileLocator;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.datasets.io.TarGzExtractor;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cifar10}: CIFAR-10, binary version (3×32×32, 10 classes, 50000 train / 10000 test images).
 *
 * <p>Files {@code data_batch_1.bin … data_batch_5.bin} and {@code test_batch.bin}, searched in the data
 * directory, its {@code cifar10/}, {@code cifar-10-batches-bin/} and {@code cifar10/cifar-10-batches-bin/}
 * sub-directories, then the cache; otherwise {@code cifar-10-binary.tar.gz} is downloaded (pinned
 * SHA-256 c4a38c50…a1dd) and its batches extracted into {@code <cache>/cifar-10-batches-bin}. Class
 * names come from {@code batches.meta.txt} when present. Each batch must hold the official 10 000 records
 * unless the dataset option {@code check_record_count} is false ({@link DatasetOptions}).
 *
 * <p>Normalisation: {@code (p/255 − mean_c)/std_c} with the training set's per-channel statistics
 * mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616) — the population standard deviation of
 * the pixels (not the 0.2023/0.1994/0.2010 of some reference code, which is the mean of per-image
 * standard deviations).
 */
public final class Cifar10Provider implements DatasetProvider {
    private static final Logger LOG = LoggerFactory.getLogger(Cifar10Provider.class);
    static final String ID = "cifar10";
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");
    static final Normalization NORM = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.2470f, 0.2435f, 0.2616f});
    private static final Shape SHAPE = new Shape(3, 32, 32);
    private static final List<String> SUBDIRS = List.of(ID, Cifar10Spec.DIR, ID + "/" + Cifar10Spec.DIR);

    private final Cifar10Spec spec;
    private final Downloader downloader;

    public Cifar10Provider(Cifar10Spec spec, Downloader downloader) {
        this.spec = spec;
        this.downloader = downloader;
    }

    public static Cifar10Provider standard() {
        return new Cifar10Provider(Cifar10Spec.official(), new Downloader());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "CIFAR-10 (Krizhevsky 2009), binary version: 50000/10000 colour 32x32 images of 10 classes";
    }

    @Override
    public Dataset load(DatasetContext ctx) {
        DatasetOptions opts = DatasetOptions.parse(ID, ctx.options());
        List<PinnedDigest> all = new ArrayList<>(spec.trainFiles());
        all.addAll(spec.testFiles());
        List<FileLocator.Needed> needed = all.stream()
                .map(p -> new FileLocator.Needed(p.fileName(), List.of(p.fileName()))).toList();
        List<Path> order = DatasetLocations.searchOrder(ctx, SUBDIRS, List.of());
        Optional<FileLocator.Found> found = FileLocator.find(order, needed, ID);
        if (found.isEmpty()) {
            found = Optional.of(download(ctx, order, needed));
        }
        Path dir = found.get().dir();
        LOG.info("loading {} from {}", ID, dir);
        List<DatasetFile> files = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            DatasetFile f = DatasetFile.read(found.get().files().get(i));
            if (opts.verifyChecksum()) {
                all.get(i).verify(f, ID);
            }
            files.add(f);
        }
        int nTrain = spec.trainFiles().size();
        int records = opts.checkRecordCount() ? spec.recordsPerFile() : 0;
        ImageSplit train = split(files.subList(0, nTrain), records, opts.trainLimit().orElse(Integer.MAX_VALUE));
        ImageSplit test = split(files.subList(nTrain, files.size()), records, opts.testLimit().orElse(Integer.MAX_VALUE));
        StringBuilder digest = new StringBuilder(ID).append('\n');
        for (int i = 0; i < all.size(); i++) {
            digest.append(all.get(i).fileName()).append(' ').append(files.get(i).contentSha256()).append('\n');
        }
        digest.append(opts.digestSuffix());
        return new LoadedDataset(ID, SHAPE, classNames(dir.resolve(Cifar10Spec.META)), train, test,
                Digests.sha256(digest.toString()), dir.toString());
    }

    private FileLocator.Found download(DatasetContext ctx, List<Path> order, List<FileLocator.Needed> needed) {
        Path archive = ctx.cacheDir().resolve(Cifar10Spec.ARCHIVE);
        if (!archiveVerified(archive)) {
            DatasetLocations.download(ctx, ID, order,
                    List.of(new DatasetLocations.Download(Cifar10Spec.ARCHIVE, spec.archiveSha256(), spec.archiveUrls())),
                    "data_batch_1.bin … data_batch_5.bin and test_batch.bin (from " + Cifar10Spec.ARCHIVE + ", "
                            + Cifar10Spec.DIR + "/)", downloader);
        }
        Path target = ctx.cacheDir().resolve(Cifar10Spec.DIR);
        Set<String> wanted = new HashSet<>();
        needed.forEach(n -> wanted.add(n.canonicalName()));
        wanted.add(Cifar10Spec.META);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new BenchException(ID + ": cannot create " + target + " (" + e.getMessage() + ") — check permissions");
        }
        TarGzExtractor.extract(archive, target, wanted);
        return DatasetLocations.afterDownload(ctx, SUBDIRS, needed, ID);
    }

    /** An archive left in the cache is used only if it still has the pinned digest. */
    private boolean archiveVerified(Path archive) {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        try {
            if (Digests.sha256(archive).equals(spec.archiveSha256())) {
                return true;
            }
            LOG.warn("{} does not have the pinned SHA-256 {}; downloading it again", archive, spec.archiveSha256());
            return false;
        } catch (IOException e) {
            throw new BenchException(archive + ": cannot read (" + e.getMessage() + ") — delete it");
        }
    }

    /** @param records records every file must hold, 0 = any */
    private static ImageSplit split(List<DatasetFile> files, int records, int limit) {
        int[] counts = new int[files.size()];
        int total = 0;
        for (int i = 0; i < files.size(); i++) {
            counts[i] = CifarBinaryReader.records(files.get(i), records, CLASSES.size());
            total += counts[i];
        }
        int n = Math.min(limit, total);
        float[] pixels = new float[n * SHAPE.size()];
        int[] labels = new int[n];
        int done = 0;
        for (int i = 0; i < files.size() && done < n; i++) {
            int take = Math.min(counts[i], n - done);
            float[] part = NORM.apply(files.get(i).content(), 1, CifarBinaryReader.RECORD_BYTES, take, 32 * 32);
            System.arraycopy(part, 0, pixels, done * SHAPE.size(), part.length);
            System.arraycopy(CifarBinaryReader.labels(files.get(i), take), 0, labels, done, take);
            done += take;
        }
        return new ImageSplit(SHAPE, pixels, labels);
    }

    private static List<String> classNames(Path meta) {
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        try {
            List<String> names = Files.readAllLines(meta, StandardCharsets.US_ASCII).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.size() != CLASSES.size()) {
                throw new BenchException(meta + ": lists " + names.size() + " class names, expected " + CLASSES.size()
                        + " — re-download it or delete it (the standard names are then used)");
            }
            return names;
        } catch (IOException e) {
            throw new BenchException(meta + ": cannot read (" + e.getMessage() + ") — check permissions or delete it");
        }
    }
}
