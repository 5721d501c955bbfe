package org.bfabench.datasets.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFileBombTest {

    @Test
    void aGzipThatInflatesBeyondTheCapIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        // ~0.5 MB of gzip that inflates to 600 MiB of zeros
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 600; i++) {
                gz.write(zeros);
            }
        }
        Path bomb = dir.resolve("train-images-idx3-ubyte.gz");
        Files.write(bomb, bytes.toByteArray());
        BenchException e = assertThrows(BenchException.class, () -> DatasetFile.read(bomb));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("512 MiB"),
                e.getMessage());
    }
}
