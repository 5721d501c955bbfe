package org.bfabench.harness.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.WeightArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written by real NumPy (resources/weights/make_fixtures.py) and every error case, one line each. */
class NpzFileTest {

    private static Path fixture(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NpzFileTest.class.getResourceAsStream("/weights/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"numpy-savez.npz", "numpy-savez-compressed.npz"})
    void readsWhatNumpyWritesInEveryDtypeOrderAndByteOrderAPyTorchExportUses(String name, @TempDir Path dir)
            throws IOException {
        Map<String, WeightArray> a = NpzFile.read(fixture(dir, name));
        assertEquals(java.util.Set.of("conv.weight", "fc.weight", "bn.num_batches_tracked", "fortran", "big_endian", "int32"),
                a.keySet());
        WeightArray conv = a.get("conv.weight");
        assertArrayEquals(new int[] {2, 3, 2, 2}, conv.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals((i - 11.5f) / 4, conv.values()[i], 0f, "C order, element " + i);
        }
        assertArrayEquals(new float[] {0, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f}, a.get("fc.weight").values(), 0f);
        assertArrayEquals(new int[] {2, 3}, a.get("fc.weight").shape());
        assertArrayEquals(new int[0], a.get("bn.num_batches_tracked").shape());
        assertArrayEquals(new float[] {12345}, a.get("bn.num_batches_tracked").values(), 0f);
        // numpy stores a Fortran-ordered array column by column; the reader hands it back row-major
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.get("fortran").values(), 0f);
        assertArrayEquals(new float[] {0, 1, 2, 3}, a.get("big_endian").values(), 0f);
        assertArrayEquals(new float[] {-3, 0, 7}, a.get("int32").values(), 0f);
    }

    @Test
    void fortranOrderIsReorderedSoTheLastIndexVariesFastest() {
        // a 2x3x2 array with value = 100i + 10j + k, listed in column-major order
        int[] shape = {2, 3, 2};
        float[] col = new float[12];
        int f = 0;
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) {
                    col[f++] = 100 * i + 10 * j + k;
                }
            }
        }
        float[] row = NpyParser.toRowMajor(col, shape);
        int c = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(100 * i + 10 * j + k, row[c++], 0f);
                }
            }
        }
    }

    private static void assertOneLine(BenchException e, String... parts) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void anUnsupportedDtypeNamesTheArrayAndTheDtype(@TempDir Path dir) throws IOException {
        Path p = fixture(dir, "complex.npz");
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(p)), "complex.npz", "'z'", "'<c8'",
                "unsupported dtype");
    }

    @Test
    void aFileThatIsNotAZipSaysSo(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("weights.pt");
        Files.write(p, "PK? no: a torch.save pickle".getBytes());
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(p)), "weights.pt", "not a .npz (zip) file");
    }

    @Test
    void aTruncatedNpzIsCorrupt(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(fixture(dir, "numpy-savez.npz"));
        Path p = dir.resolve("cut.npz");
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(p)), "cut.npz", "not a .npz (zip) file");
    }

    @Test
    void anEntryWhoseDataIsShortOrWhoseMagicIsWrongIsCorruptAndNamed(@TempDir Path dir) throws IOException {
        byte[] good = NpzWriter.npy("<f4", new int[] {4}, new float[] {1, 2, 3, 4});
        Path shortData = dir.resolve("short.npz");
        zip(shortData, "fc.weight.npy", Arrays.copyOf(good, good.length - 4));
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(shortData)), "short.npz", "'fc.weight'",
                "truncated", "corrupt");
        Path badMagic = dir.resolve("magic.npz");
        byte[] bad = good.clone();
        bad[1] = 'X';
        zip(badMagic, "fc.weight.npy", bad);
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(badMagic)), "'fc.weight'", "bad magic");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertOneLine(assertThrows(BenchException.class, () -> NpzFile.read(dir.resolve("nope.npz"))), "nope.npz",
                "no such file");
    }

    private static void zip(Path file, String entry, byte[] content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content);
            z.closeEntry();
        }
    }

    /** The value of a half from its fields, computed apart from the parser: (-1)^s · m · 2^(e-25) in double. */
    private static float halfByFormula(int bits) {
        int s = bits >>> 15;
        int e = (bits >>> 10) & 0x1f;
        int m = bits & 0x3ff;
        if (e == 31) {
            return m == 0 ? (s == 1 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) : Float.NaN;
        }
        double magnitude = e == 0 ? Math.scalb((double) m, -24) : Math.scalb((double) (1024 + m), e - 25);
        return (float) (s == 1 ? -magnitude : magnitude);
    }

    @Test
    void float16SpecialValuesConvertExactly() {
        assertEquals(0, Float.floatToRawIntBits(NpyParser.halfToFloat((short) 0x0000)), "+0");
        assertEquals(0x80000000, Float.floatToRawIntBits(NpyParser.halfToFloat((short) 0x8000)), "-0 keeps its sign");
        assertEquals(5.9604644775390625E-8f, NpyParser.halfToFloat((short) 0x0001), 0f, "smallest subnormal 2^-24");
        assertEquals(-5.9604644775390625E-8f, NpyParser.halfToFloat((short) 0x8001), 0f);
        assertEquals(6.0975551605224609375E-5f, NpyParser.halfToFloat((short) 0x03ff), 0f, "largest subnormal 1023 * 2^-24");
        assertEquals(6.103515625E-5f, NpyParser.halfToFloat((short) 0x0400), 0f, "smallest normal 2^-14");
        assertEquals(65504f, NpyParser.halfToFloat((short) 0x7bff), 0f, "largest half");
        assertEquals(-65504f, NpyParser.halfToFloat((short) 0xfbff), 0f);
        assertEquals(Float.POSITIVE_INFINITY, NpyParser.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, NpyParser.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(NpyParser.halfToFloat((short) 0x7e00)));
        assertTrue(Float.isNaN(NpyParser.halfToFloat((short) 0x7c01)), "a signalling NaN is no infinity");
        assertEquals(1f, NpyParser.halfToFloat((short) 0x3c00), 0f);
        assertEquals(1.5f, NpyParser.halfToFloat((short) 0x3e00), 0f);
        assertEquals(-2f, NpyParser.halfToFloat((short) 0xc000), 0f);
        assertEquals(0.333251953125f, NpyParser.halfToFloat((short) 0x3555), 0f, "1/3 rounded to half: 1365/4096");
        assertEquals(0.0999755859375f, NpyParser.halfToFloat((short) 0x2e66), 0f, "0.1 rounded to half: 1638/16384");
    }

    @Test
    void everyFloat16BitPatternConvertsToTheValueOfItsFieldsAndToNumpysConversion() {
        long numpySum = 0;
        for (int bits = 0; bits < 65536; bits++) {
            float actual = NpyParser.halfToFloat((short) bits);
            float expected = halfByFormula(bits);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), Integer.toHexString(bits));
                assertEquals(bits >>> 15, Float.floatToRawIntBits(actual) >>> 31, "NaN sign of " + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), Integer.toHexString(bits));
            }
            numpySum += Integer.toUnsignedLong(Float.floatToRawIntBits(actual));
        }
        // numpy's own float16 -> float32 of all 65536 patterns, bit patterns summed (make_fixtures.py): NaN payloads too
        assertEquals(142_642_407_014_400L, numpySum);
    }

    @Test
    void float16ArraysWrittenByNumpyReadInBothByteOrders(@TempDir Path dir) throws IOException {
        Map<String, WeightArray> a = NpzFile.read(fixture(dir, "float16.npz"));
        float third = 0.333251953125f;
        float tenth = 0.0999755859375f;
        float tiny = 0x1p-24f;
        float[] expected = {0f, -0f, tiny, -tiny, 1023 * tiny, 0x1p-14f, 65504f, -65504f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, 1f, -2f, third, tenth};
        for (String key : java.util.List.of("special", "special_big_endian")) {
            float[] v = a.get(key).values();
            assertEquals(expected.length, v.length, key);
            for (int i = 0; i < v.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(v[i]), key + "[" + i + "]");
            }
            assertEquals(0x80000000, Float.floatToRawIntBits(v[1]), key + ": -0");
        }
    }
}
