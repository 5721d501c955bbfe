package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.TrainingBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelFileTest {
    private static final TrainingBudget TINY = new TrainingBudget(1, 64, 512);
    @TempDir
    Path tmp;
    private Dataset data;
    private ModelArchitecture arch;

    @BeforeAll
    void load(@TempDir Path cache) {
        data = FashionMnist.load(cache);
        arch = FashionMnist.architecture("cnn-small");
    }

    private ModelContext context() {
        return new ModelContext(arch, Options.empty(), data.inputShape(), data.numClasses(), Options.empty());
    }

    private static int[][] codes(AttackSurface s) {
        List<AttackableLayer> layers = s.layers();
        int[][] c = new int[layers.size()][];
        for (int l = 0; l < c.length; l++) {
            c[l] = new int[layers.get(l).weightCount()];
            for (int i = 0; i < c[l].length; i++) {
                c[l][i] = s.code(l, i);
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"quantized-8bit", "quantized-4bit", "binary-weights", "bnn"})
    void reloadGivesIdenticalPredictionsAndCodes(String id) {
        Path file = tmp.resolve(id + ".npz");
        try (DefendedModel m = Training.train(id, arch, data, TINY, 3, Options.empty(), tmp)) {
            // a flipped model must round-trip too: the file stores codes, not latent weights
            m.attackSurface().orElseThrow().flip(new BitFlip(1, 5, 0));
            m.save(file);
            try (DefendedModel r = Training.defense(id).load(context(), file)) {
                var batch = data.test().range(0, 1000);
                assertArrayEquals(m.predict(batch), r.predict(batch));
                int[][] a = codes(m.attackSurface().orElseThrow());
                int[][] b = codes(r.attackSurface().orElseThrow());
                for (int l = 0; l < a.length; l++) {
                    assertArrayEquals(a[l], b[l], "layer " + l);
                }
                assertEquals(m.footprint(), r.footprint());
                assertEquals(m.facts(), r.facts());
                try (var e1 = m.attackSurface().orElseThrow().evaluator(batch.slice(0, 128));
                        var e2 = r.attackSurface().orElseThrow().evaluator(batch.slice(0, 128))) {
                    assertEquals(e1.loss(), e2.loss(), 0.0);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesIdenticalCodesAndAnotherSeedDoesNot() {
        for (String id : List.of("quantized-8bit", "bnn")) {
            int[][] a;
            int[][] b;
            int[][] c;
            try (DefendedModel m = Training.train(id, arch, data, TINY, 5, Options.empty(), tmp)) {
                a = codes(m.attackSurface().orElseThrow());
            }
            try (DefendedModel m = Training.train(id, arch, data, TINY, 5, Options.empty(), tmp)) {
                b = codes(m.attackSurface().orElseThrow());
            }
            try (DefendedModel m = Training.train(id, arch, data, TINY, 6, Options.empty(), tmp)) {
                c = codes(m.attackSurface().orElseThrow());
            }
            assertTrue(Arrays.deepEquals(a, b), id + ": same seed, different codes");
            assertTrue(!Arrays.deepEquals(a, c), id + ": different seeds, same codes");
        }
    }

    @Test
    void truncatedTamperedForeignAndMisattributedFilesAreRejected() throws IOException {
        Path good = tmp.resolve("good.npz");
        try (DefendedModel m = Training.train("quantized-4bit", arch, data, TINY, 1, Options.empty(), tmp)) {
            m.save(good);
        }
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = tmp.resolve("truncated.npz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path foreign = tmp.resolve("foreign.npz");
        Files.writeString(foreign, "not a model\n");
        Path tampered = tmp.resolve("tampered.npz");
        rewrite(good, tampered, "conv1/codes.npy");
        for (Path p : List.of(truncated, foreign, tampered)) {
            BenchException e = assertThrows(BenchException.class, () -> Training.defense("quantized-4bit").load(context(), p));
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
        BenchException e = assertThrows(BenchException.class, () -> Training.defense("quantized-8bit").load(context(), good));
        assertTrue(e.getMessage().contains("quantized-4bit"), e.getMessage());
        assertThrows(BenchException.class, () -> Training.defense("quantized-4bit").load(
                new ModelContext(FashionMnist.architecture("mlp"), Options.empty(), data.inputShape(), 10, Options.empty()), good));
    }

    @Test
    void anUnknownTrainingOptionIsRejectedWithItsName() {
        BenchException e = assertThrows(BenchException.class, () -> Training.train("bnn", arch, data, TINY, 1,
                Options.of(java.util.Map.of("learning_rate", 0.1)), tmp));
        assertTrue(e.getMessage().contains("learning_rate"));
    }

    /** Copies a zip, changing one byte in the middle of {@code entry}'s data. */
    private static void rewrite(Path src, Path dst, String entry) throws IOException {
        boolean found = false;
        try (InputStream is = Files.newInputStream(src); ZipInputStream in = new ZipInputStream(is);
                OutputStream os = Files.newOutputStream(dst); ZipOutputStream out = new ZipOutputStream(os)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                byte[] b = buf.toByteArray();
                if (e.getName().equals(entry)) {
                    b[b.length - 3] ^= 0x40;
                    found = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        assertTrue(found, entry + " not in the file");
    }
}
