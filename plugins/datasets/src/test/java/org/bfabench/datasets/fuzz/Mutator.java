package org.bfabench.datasets.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.bfabench.datasets.TestFiles;

/**
 * Random corruptions of a dataset's files as they lie on disk (file name → bytes, in load order).
 * Each returns what it did, so a failing case can be reproduced by reading the message.
 */
final class Mutator {
    /** What a mutation did and which files it touched (a failure must name one of them). */
    record Mutation(String description, Set<String> touched) {
    }

    enum Kind {
        BIT_FLIPS, HEADER_BYTE, BODY_BYTE, CONTENT_BYTE, TRUNCATE, APPEND_GARBAGE, FORGED_SIZE, SWAP_FILES,
        ZERO_LENGTH, GZIP_CUT
    }

    /** Values a forged IDX size field takes: huge, negative, zero, off by one. */
    private static final int[] FORGED = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 0x10000000, 0x00ffffff, 60_000,
            65_536};

    private final SplittableRandom random;
    private final boolean idx;

    Mutator(SplittableRandom random, boolean idx) {
        this.random = random;
        this.idx = idx;
    }

    Mutation apply(Kind kind, Map<String, byte[]> disk) {
        List<String> names = new ArrayList<>(disk.keySet());
        String name = names.get(random.nextInt(names.size()));
        byte[] b = disk.get(name);
        boolean gz = name.endsWith(".gz");
        byte[] content = gz ? ReferenceDecoder.content(b).orElseThrow() : b;
        int header = gz ? 10 : idx ? (name.contains("images") ? 16 : 8) : 1;
        switch (kind) {
            case BIT_FLIPS -> {
                int flips = 1 + random.nextInt(3);
                StringBuilder at = new StringBuilder();
                for (int k = 0; k < flips; k++) {
                    int pos = random.nextInt(b.length);
                    int bit = random.nextInt(8);
                    b[pos] ^= (byte) (1 << bit);
                    at.append(k > 0 ? ", " : "").append("byte ").append(pos).append(" bit ").append(bit);
                }
                return new Mutation("flipped " + at + " of " + name, Set.of(name));
            }
            case HEADER_BYTE, BODY_BYTE -> {
                int pos = kind == Kind.HEADER_BYTE ? random.nextInt(header) : header + random.nextInt(b.length - header);
                int v = random.nextInt(256);
                int old = b[pos] & 0xff;
                b[pos] = (byte) v;
                return new Mutation(String.format("overwrote on-disk byte %d of %s: 0x%02x -> 0x%02x", pos, name, old, v),
                        Set.of(name));
            }
            case CONTENT_BYTE -> {
                byte[] c = content.clone();
                int pos = header(name) + random.nextInt(c.length - header(name));
                int v = random.nextInt(256);
                int old = c[pos] & 0xff;
                c[pos] = (byte) v;
                disk.put(name, gz ? TestFiles.gzip(c) : c);
                return new Mutation(String.format("set decoded byte %d of %s (%s): 0x%02x -> 0x%02x, re-encoded", pos, name,
                        (idx ? name.contains("labels") : pos % 3073 == 0) ? "label" : "pixel", old, v),
                        Set.of(name));
            }
            case TRUNCATE -> {
                // half the cuts land in or just after a header, where the parsers read fixed offsets
                int len = random.nextInt(random.nextBoolean() ? Math.min(b.length, header + 8) : b.length);
                disk.put(name, Arrays.copyOf(b, len));
                return new Mutation("truncated " + name + " from " + b.length + " to " + len + " bytes", Set.of(name));
            }
            case APPEND_GARBAGE -> {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                byte[] out = Arrays.copyOf(b, b.length + garbage.length);
                System.arraycopy(garbage, 0, out, b.length, garbage.length);
                disk.put(name, out);
                return new Mutation("appended " + garbage.length + " random bytes to " + name, Set.of(name));
            }
            case FORGED_SIZE -> {
                return forge(disk, name, content, gz);
            }
            case SWAP_FILES -> {
                String other = names.get((names.indexOf(name) + 1 + random.nextInt(names.size() - 1)) % names.size());
                disk.put(name, disk.get(other));
                disk.put(other, b);
                return new Mutation("swapped the bytes of " + name + " and " + other, Set.of(name, other));
            }
            case ZERO_LENGTH -> {
                disk.put(name, new byte[0]);
                return new Mutation("emptied " + name, Set.of(name));
            }
            case GZIP_CUT -> {
                byte[] z = gz ? b : TestFiles.gzip(content);
                int cut = z.length / 4 + random.nextInt(z.length / 2);
                disk.put(name, Arrays.copyOf(z, cut));
                return new Mutation("cut the gzip stream of " + name + " (" + z.length + " bytes) at byte " + cut,
                        Set.of(name));
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** IDX: a count/rows/cols field set to a forged value; CIFAR (no header): one extra record appended. */
    private Mutation forge(Map<String, byte[]> disk, String name, byte[] content, boolean gz) {
        byte[] c = content.clone();
        String what;
        if (idx) {
            int fields = name.contains("images") ? 3 : 1;
            int field = random.nextInt(fields);
            ByteBuffer h = ByteBuffer.wrap(c);
            int old = h.getInt(4 + 4 * field);
            int v = random.nextInt(3) == 0 ? old + (random.nextBoolean() ? 1 : -1)
                    : random.nextInt(4) == 0 ? random.nextInt() : FORGED[random.nextInt(FORGED.length)];
            h.putInt(4 + 4 * field, v);
            what = "set the " + List.of("count", "rows", "cols").get(field) + " field of " + name + " from " + old + " to " + v;
        } else {
            byte[] extra = new byte[3073];
            random.nextBytes(extra);
            extra[0] = (byte) random.nextInt(10);
            c = Arrays.copyOf(c, c.length + extra.length);
            System.arraycopy(extra, 0, c, content.length, extra.length);
            what = "appended a fourth well-formed record to " + name;
        }
        disk.put(name, gz ? TestFiles.gzip(c) : c);
        return new Mutation(what + (gz ? ", re-encoded" : ""), Set.of(name));
    }

    /** Bytes before the first data byte of the decoded content. */
    private int header(String name) {
        return idx ? (name.contains("images") ? 16 : 8) : 0;
    }
}
