package org.bfabench.harness.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedPluginsTest {
    @TempDir
    Path tmp;

    @Test
    void sha256OfAbcIsTheFips180Vector() throws Exception {
        Path f = Files.writeString(tmp.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TrustedPlugins.sha256(f));
    }

    @Test
    void readsSha256sumOutputIgnoringCommentsAndCase() throws Exception {
        Path f = Files.writeString(tmp.resolve("t"), "# ok\n\nBA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD  a.jar\n");
        assertTrue(TrustedPlugins.read(f).trusts("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    @Test
    void aMalformedLineIsABenchExceptionNamingTheLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("t"), "# ok\nnot-a-digest a.jar\n");
        BenchException e = assertThrows(BenchException.class, () -> TrustedPlugins.read(f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
