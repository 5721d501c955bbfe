package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shard i/N} on separate output directories plus {@code merge} reproduce the unsharded board byte for byte. */
class ShardingTest {
    @TempDir
    Path tmp;

    private static void ok(Cli.Result r) {
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void twoShardsMergedGiveTheSameBoardAsOneRun() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Path whole = tmp.resolve("whole");
        Path shard0 = tmp.resolve("shard0");
        Path shard1 = tmp.resolve("shard1");
        Path merged = tmp.resolve("merged");
        ok(Cli.run(tmp, "run", "--grid", "smoke", "--out", whole.toString(), "--offline"));
        ok(Cli.run(tmp, "run", "--grid", "smoke", "--out", shard0.toString(), "--offline", "--shard", "0/2"));
        ok(Cli.run(tmp, "run", "--grid", "smoke", "--out", shard1.toString(), "--offline", "--shard", "1/2"));
        ok(Cli.run(tmp, "merge", "--out", merged.toString(), shard0.toString(), shard1.toString()));

        String expected = Files.readString(whole.resolve("leaderboards/smoke.csv"));
        assertTrue(expected.lines().count() > 1, "the board has rows:\n" + expected);
        assertEquals(expected, Files.readString(merged.resolve("leaderboards/smoke.csv")));
    }

    @Test
    void mergingNothingIsAUserError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.Result r = Cli.run(tmp, "merge", "--out", tmp.resolve("merged").toString(), empty.toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("bfabench: merge: "), r.err());
    }
}
