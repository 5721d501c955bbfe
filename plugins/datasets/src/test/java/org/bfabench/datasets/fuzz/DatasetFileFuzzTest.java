package org.bfabench.datasets.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bfabench.datasets.Normalization;
import org.bfabench.datasets.TestFiles;
import org.bfabench.datasets.cifar.Cifar10Provider;
import org.bfabench.datasets.cifar.Cifar10Spec;
import org.bfabench.datasets.fuzz.ReferenceDecoder.Expected;
import org.bfabench.datasets.fuzz.ReferenceDecoder.Split;
import org.bfabench.datasets.idx.IdxDatasetProvider;
import org.bfabench.datasets.idx.IdxDatasetSpec;
import org.bfabench.datasets.io.Digests;
import org.bfabench.datasets.io.Downloader;
import org.bfabench.datasets.io.PinnedDigest;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzzing of the dataset readers: small valid IDX (gzip and raw) and CIFAR-10 datasets are
 * corrupted at random ({@link Mutator.Kind}) and loaded with {@code verify_checksum} off and on. Every
 * case must either load exactly the data {@link ReferenceDecoder} derives from the mutated bytes, or
 * fail with one {@link BenchException} naming a mutated file — never another throwable.
 */
class DatasetFileFuzzTest {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetFileFuzzTest.class);
    private static final long SEED = 0xB1F5_5EEDL;
    private static final int CASES_PER_FORMAT = 250;
    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final float IDX_MEAN = 0.2860f;
    private static final float IDX_STD = 0.3530f;
    private static final float[] CIFAR_MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] CIFAR_STD = {0.2470f, 0.2435f, 0.2616f};
    private static final String[] IDX_NAMES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    private static final String[] CIFAR_NAMES = {"data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"};

    enum Format { IDX_GZ, IDX_RAW, CIFAR10 }

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a reader that hangs, not a speed check
    void everyMutatedFileLoadsAsItsBytesDecodeOrFailsWithOneBenchExceptionNamingTheFile() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> problems = new ArrayList<>();
        int cases = 0;
        int loadedChanged = 0;
        int rejected = 0;
        for (Format format : Format.values()) {
            Map<String, byte[]> originals = contents(format);
            String baseline = load(format, write(tmp.resolve(format + "-valid"), onDisk(format, originals)), true).sha256();
            for (int i = 0; i < CASES_PER_FORMAT; i++, cases++) {
                Mutator.Kind kind = Mutator.Kind.values()[i % Mutator.Kind.values().length];
                Map<String, byte[]> disk = onDisk(format, originals);
                Mutator.Mutation m = new Mutator(random, format != Format.CIFAR10).apply(kind, disk);
                Path dir = write(tmp.resolve("case-" + cases), disk);
                for (boolean verify : new boolean[] {false, true}) {
                    String where = "case " + cases + " (" + format + ", " + kind + ", verify_checksum=" + verify + "): "
                            + m.description();
                    Optional<Expected> expected = expected(format, originals, disk, verify);
                    Dataset d;
                    try {
                        d = load(format, dir, verify);
                    } catch (BenchException e) {
                        if (expected.isPresent()) {
                            problems.add(where + ": rejected files that decode fine: " + e.getMessage());
                        } else if (m.touched().stream().noneMatch(e.getMessage()::contains)) {
                            problems.add(where + ": the message names none of " + m.touched() + ": " + e.getMessage());
                        } else {
                            rejected++;
                        }
                        continue;
                    } catch (Throwable t) {
                        problems.add(where + ": threw " + t + " at " + (t.getStackTrace().length > 0
                                ? t.getStackTrace()[0] : "?"));
                        continue;
                    }
                    if (expected.isEmpty()) {
                        problems.add(where + ": loaded although the bytes do not decode to a valid dataset");
                        continue;
                    }
                    String mismatch = mismatch(d.train(), expected.get().train(), "train")
                            + mismatch(d.test(), expected.get().test(), "test");
                    boolean sameContent = sameContents(originals, disk);
                    if (sameContent != d.sha256().equals(baseline)) {
                        mismatch += " dataset digest " + (sameContent ? "changed for unchanged content" : "unchanged for changed content");
                    }
                    if (!mismatch.isEmpty()) {
                        problems.add(where + ": loaded different data:" + mismatch);
                    }
                    if (!sameContent) {
                        loadedChanged++;
                    }
                }
            }
        }
        LOG.info("fuzz: {} mutated datasets x 2 checksum settings: {} loads of changed data, {} rejections, {} problems",
                cases, loadedChanged, rejected, problems.size());
        assertEquals(List.of(), problems, problems.size() + " of " + 2 * cases + " loads broke the contract");
        assertEquals(3 * CASES_PER_FORMAT, cases);
        // without these the fuzzer would not exercise both outcomes and could pass vacuously
        assertTrue(loadedChanged > 0, "no mutation produced loadable changed data");
        assertTrue(rejected > cases, "too few rejections: " + rejected);
    }

    @Test
    void unmutatedFilesLoadTheirExactDataWithAndWithoutChecksumVerification() {
        for (Format format : Format.values()) {
            Map<String, byte[]> originals = contents(format);
            Map<String, byte[]> disk = onDisk(format, originals);
            Path dir = write(tmp.resolve(format.name()), disk);
            for (boolean verify : new boolean[] {false, true}) {
                Expected e = expected(format, originals, disk, verify).orElseThrow();
                Dataset d = load(format, dir, verify);
                assertEquals("", mismatch(d.train(), e.train(), "train") + mismatch(d.test(), e.test(), "test"));
                assertEquals(format == Format.CIFAR10 ? 6 : 5, d.train().size());
            }
        }
    }

    private static String mismatch(ImageSplit actual, Split expected, String split) {
        if (!Arrays.equals(actual.labels(), expected.labels())) {
            return " " + split + " labels " + Arrays.toString(actual.labels()) + " != " + Arrays.toString(expected.labels());
        }
        return actual.pixels().equals(FloatBuffer.wrap(expected.pixels())) ? "" : " " + split + " pixels differ";
    }

    private static Optional<Expected> expected(Format format, Map<String, byte[]> originals, Map<String, byte[]> disk,
            boolean verify) {
        Optional<List<byte[]>> contents = ReferenceDecoder.contents(List.copyOf(disk.values()));
        if (contents.isEmpty() || verify && !sameContents(originals, disk)) {
            return Optional.empty();
        }
        List<byte[]> c = contents.get();
        if (format != Format.CIFAR10) {
            return ReferenceDecoder.idx(c, CLASSES.size(), IDX_MEAN, IDX_STD);
        }
        Optional<Split> train = ReferenceDecoder.cifar(c.subList(0, 2), 3, CLASSES.size(), CIFAR_MEAN, CIFAR_STD);
        Optional<Split> test = ReferenceDecoder.cifar(c.subList(2, 3), 3, CLASSES.size(), CIFAR_MEAN, CIFAR_STD);
        return train.isPresent() && test.isPresent() ? Optional.of(new Expected(train.get(), test.get())) : Optional.empty();
    }

    /** Whether every file still decodes to its original content (what the content pins check). */
    private static boolean sameContents(Map<String, byte[]> originals, Map<String, byte[]> disk) {
        Optional<List<byte[]>> contents = ReferenceDecoder.contents(List.copyOf(disk.values()));
        if (contents.isEmpty()) {
            return false;
        }
        List<byte[]> o = List.copyOf(originals.values());
        for (int i = 0; i < o.size(); i++) {
            if (!Arrays.equals(o.get(i), contents.get().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Canonical name → decoded content of a tiny valid dataset, in load order. */
    private static Map<String, byte[]> contents(Format format) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (format == Format.CIFAR10) {
            files.put(CIFAR_NAMES[0], TestFiles.cifarBatch(6, 9, 9));
            files.put(CIFAR_NAMES[1], TestFiles.cifarBatch(4, 1, 1));
            files.put(CIFAR_NAMES[2], TestFiles.cifarBatch(3, 8, 0));
        } else {
            files.put(IDX_NAMES[0], TestFiles.idxImages(5, 28, 28));
            files.put(IDX_NAMES[1], TestFiles.idxLabels(0, 9, 3, 3, 7));
            files.put(IDX_NAMES[2], TestFiles.idxImages(3, 28, 28));
            files.put(IDX_NAMES[3], TestFiles.idxLabels(1, 2, 8));
        }
        return files;
    }

    /** File name on disk → bytes on disk, in load order (a fresh, mutable copy). */
    private static Map<String, byte[]> onDisk(Format format, Map<String, byte[]> contents) {
        Map<String, byte[]> disk = new LinkedHashMap<>();
        contents.forEach((name, c) -> disk.put(format == Format.IDX_GZ ? name + ".gz" : name,
                format == Format.IDX_GZ ? TestFiles.gzip(c) : c.clone()));
        return disk;
    }

    private static Path write(Path dir, Map<String, byte[]> disk) {
        disk.forEach((name, bytes) -> TestFiles.write(dir.resolve(name), bytes));
        return dir;
    }

    private Dataset load(Format format, Path dir, boolean verify) {
        DatasetContext ctx = new DatasetContext(Optional.of(dir), tmp.resolve("cache"), true,
                Options.of(Map.of("verify_checksum", verify)));
        return provider(format).load(ctx);
    }

    /** Providers whose pins are the digests of the unmutated files, so verification rejects any content change. */
    private static DatasetProvider provider(Format format) {
        Downloader offline = new Downloader(Duration.ofSeconds(1), Duration.ofSeconds(1));
        if (format == Format.CIFAR10) {
            List<PinnedDigest> pins = contents(format).entrySet().stream()
                    .map(e -> PinnedDigest.of(e.getKey(), null, Digests.sha256(e.getValue()))).toList();
            return new Cifar10Provider(new Cifar10Spec(pins.subList(0, 2), pins.subList(2, 3), 3,
                    List.of(URI.create("http://127.0.0.1:9/cifar.tar.gz")), "0".repeat(64)), offline);
        }
        List<PinnedDigest> pins = contents(format).entrySet().stream()
                .map(e -> PinnedDigest.of(e.getKey(), Digests.sha256(TestFiles.gzip(e.getValue())),
                        Digests.sha256(e.getValue()))).toList();
        return new IdxDatasetProvider(new IdxDatasetSpec("fashion-mnist", "fuzz target", CLASSES, 28, 28,
                new Normalization(new float[] {IDX_MEAN}, new float[] {IDX_STD}), pins, List.of(),
                List.of(URI.create("http://127.0.0.1:9/"))), offline);
    }
}
