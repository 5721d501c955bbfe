package org.bfabench.attacks.pbs;

/**
 * The {@code capacity} best (score, key) pairs seen, as a bounded min-heap on primitive arrays so the
 * per-layer search of PBS allocates nothing per iteration and never sorts a whole layer. Higher score is
 * better; equal scores prefer the smaller key, which makes every selection deterministic.
 */
final class TopK {
    private float[] scores = new float[0];
    private long[] keys = new long[0];
    private int size;
    private int capacity;

    /** Empties the heap and sets how many pairs it keeps. */
    void reset(int newCapacity) {
        if (scores.length < newCapacity) {
            scores = new float[newCapacity];
            keys = new long[newCapacity];
        }
        capacity = newCapacity;
        size = 0;
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == capacity;
    }

    /** True if (score, key) would be kept now; lets callers skip work for pairs that cannot make it. */
    boolean admits(float score, long key) {
        return size < capacity || better(score, key, scores[0], keys[0]);
    }

    void offer(float score, long key) {
        if (size < capacity) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!better(scores[parent], keys[parent], score, key)) {
                    break;
                }
                scores[i] = scores[parent];
                keys[i] = keys[parent];
                i = parent;
            }
            scores[i] = score;
            keys[i] = key;
        } else if (capacity > 0 && better(score, key, scores[0], keys[0])) {
            siftDown(score, key);
        }
    }

    /** Writes the kept keys best first into {@code out} and empties the heap; returns how many. */
    int drainBestFirst(long[] out) {
        int n = size;
        for (int k = n - 1; k >= 0; k--) {
            out[k] = keys[0];
            size--;
            if (size > 0) {
                float s = scores[size];
                long key = keys[size];
                siftDown(s, key);
            }
        }
        return n;
    }

    private void siftDown(float score, long key) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && better(scores[child], keys[child], scores[child + 1], keys[child + 1])) {
                child++;
            }
            if (!better(score, key, scores[child], keys[child])) {
                break;
            }
            scores[i] = scores[child];
            keys[i] = keys[child];
            i = child;
        }
        scores[i] = score;
        keys[i] = key;
    }

    private static boolean better(float s1, long k1, float s2, long k2) {
        return s1 > s2 || (s1 == s2 && k1 < k2);
    }
}
