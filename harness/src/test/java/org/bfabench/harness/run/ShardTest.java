package org.bfabench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void shardIndicesAreZeroBased() {
        assertEquals(new Shard(1, 4), Shard.parse("1/4"));
        assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
        assertThrows(BenchException.class, () -> Shard.parse("4/4"));
        assertThrows(BenchException.class, () -> Shard.parse("1/0"));
        assertThrows(BenchException.class, () -> Shard.parse("one/4"));
    }

    @Test
    void everyKeyBelongsToExactlyOneShardChosenByItsValueModuloTheCount() {
        Random rng = new Random(5);
        for (int k = 0; k < 500; k++) {
            byte[] b = new byte[32];
            rng.nextBytes(b);
            String key = HexFormat.of().formatHex(b);
            int owners = 0;
            for (int i = 0; i < 3; i++) {
                owners += new Shard(i, 3).contains(key) ? 1 : 0;
            }
            assertEquals(1, owners);
        }
        assertEquals(true, new Shard(2, 3).contains("0b"), "0x0b = 11 = 3*3 + 2");
        assertEquals(true, new Shard(1, 2).contains("ff"));
    }
}
