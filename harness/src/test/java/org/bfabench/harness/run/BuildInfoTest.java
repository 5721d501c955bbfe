package org.bfabench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {
    @TempDir
    Path dir;

    private void git(String... args) throws Exception {
        String[] cmd = new String[args.length + 5];
        cmd[0] = "git";
        cmd[1] = "-c";
        cmd[2] = "user.name=t";
        cmd[3] = "-c";
        cmd[4] = "user.email=t@example.org";
        System.arraycopy(args, 0, cmd, 5, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args));
    }

    @Test
    void commitIsHeadWithDirtySuffixOnlyForChangedTrackedFiles() throws Exception {
        assertEquals("unknown", BuildInfo.gitCommit(dir), "not a work tree");
        git("init", "-q");
        Files.writeString(dir.resolve("a.txt"), "one");
        git("add", "a.txt");
        git("commit", "-q", "-m", "first");
        String clean = BuildInfo.gitCommit(dir);
        assertTrue(clean.matches("[0-9a-f]{40}"), clean);
        Files.writeString(dir.resolve("untracked.txt"), "x");
        assertEquals(clean, BuildInfo.gitCommit(dir), "untracked files do not make it dirty");
        Files.writeString(dir.resolve("a.txt"), "two");
        assertEquals(clean + "-dirty", BuildInfo.gitCommit(dir));
    }
}
