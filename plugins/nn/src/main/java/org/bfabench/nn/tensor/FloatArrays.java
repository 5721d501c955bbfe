package org.bfabench.nn.tensor;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Heap float arrays handed back by a program run when the value they hold is dead, and handed out again
 * for the next value of the same length. A fresh array is zeroed by the JVM and, at bit-search sizes (8 MB
 * for a resnet20 stage-1 activation at batch 128), is a humongous G1 object that lands in cold memory: in
 * one measurement an allocate-and-fill of 2²¹ floats took 0.6 ms against 0.18 ms for the same fill of a
 * reused array, and a tentative-loss tail writes dozens of such arrays. Arrays taken from here hold stale
 * values: every writer overwrites the whole array. At most {@code maxBytes} stay idle; past that the
 * longest-idle arrays are dropped (to the garbage collector), so a change of batch size does not leave the
 * pool full of arrays nobody asks for. Thread-safe; an array is owned by one holder at a time.
 */
public final class FloatArrays {
    private final long maxBytes;
    private final ArrayDeque<float[]> idle = new ArrayDeque<>();
    private long idleBytes;

    public FloatArrays(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** An array of {@code length} floats with arbitrary contents from {@code pool}, or a new one when it is null. */
    public static float[] take(FloatArrays pool, int length) {
        return pool == null ? new float[length] : pool.take(length);
    }

    /** An idle array of {@code length} floats (most recently given first), else a new one. */
    public synchronized float[] take(int length) {
        for (Iterator<float[]> it = idle.descendingIterator(); it.hasNext();) {
            float[] a = it.next();
            if (a.length == length) {
                it.remove();
                idleBytes -= bytes(a);
                return a;
            }
        }
        return new float[length];
    }

    /** Takes {@code a} back for reuse; the caller must hold no other reference to it. */
    public synchronized void give(float[] a) {
        if (bytes(a) > maxBytes) {
            return;
        }
        idle.addLast(a);
        idleBytes += bytes(a);
        while (idleBytes > maxBytes) {
            idleBytes -= bytes(idle.removeFirst());
        }
    }

    /** Bytes of the arrays kept idle. */
    public synchronized long idleBytes() {
        return idleBytes;
    }

    /** Drops every idle array. */
    public synchronized void clear() {
        idle.clear();
        idleBytes = 0;
    }

    private static long bytes(float[] a) {
        return 4L * a.length;
    }
}
