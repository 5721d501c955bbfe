package org.bfabench.harness.run;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bfabench.spi.BenchException;

/**
 * One of {@code count} disjoint parts of a grid, for running a grid on several machines.
 *
 * <p>{@code index} is 0-based: {@code --shard 0/4} … {@code --shard 3/4} together cover every cell once
 * (this matches a Kubernetes Indexed Job's {@code JOB_COMPLETION_INDEX}; with a 1-based Slurm array
 * pass {@code $((SLURM_ARRAY_TASK_ID-1))/N}). A cell belongs to the shard whose index equals its cell key
 * (a SHA-256, read as an unsigned big-endian integer) modulo {@code count}, so the assignment depends
 * only on the cell's content and every machine computes it alike.
 */
public record Shard(int index, int count) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new BenchException("shard " + index + "/" + count + ": expected i/N with 0 <= i < N (0-based), e.g. 0/4 .. 3/4");
        }
    }

    /** Parses {@code "i/N"} (0-based index). */
    public static Shard parse(String iOverN) {
        Matcher m = iOverN == null ? null : FORM.matcher(iOverN);
        if (m == null || !m.matches()) {
            throw new BenchException("shard '" + iOverN + "': expected i/N with 0 <= i < N (0-based), e.g. --shard 0/4");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new BenchException("shard '" + iOverN + "': numbers too large", e);
        }
    }

    /** True when the cell with this hex key belongs to this shard. */
    public boolean contains(String hexKey) {
        return new BigInteger(hexKey, 16).mod(BigInteger.valueOf(count)).intValue() == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
