package org.bfabench.nn.xnor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs a body over {@code [0, count)} split into ranges of at least {@code grain} units of work,
 * in a {@link ForkJoinPool}.
 *
 * <p>With the common pool the caller runs the root task itself ({@code invoke()} on the task, not on
 * the pool), so the calling thread works alongside the common pool's {@code cores − 1} workers and a
 * 2-core machine really uses 2 threads. Any other pool runs the whole job on its own workers. Work
 * below one grain never leaves the calling thread: a fork costs microseconds, a small layer less.
 * Holds no state of its own; the body must write disjoint outputs per range.
 */
final class RangeSplitter {

    /** One unit of work for a contiguous range of items. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** Default minimum work per task, in 64-bit XOR-popcounts (≈ 20–50 µs on one core). */
    static final long DEFAULT_GRAIN = 1L << 16;

    private final ForkJoinPool pool;
    private final long grain;

    RangeSplitter(ForkJoinPool pool, long grain) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be >= 1, got " + grain);
        }
        this.pool = pool;
        this.grain = grain;
    }

    /** Runs {@code body} over {@code [0, count)}; {@code costPerItem} is the work of one item. */
    void run(int count, long costPerItem, RangeBody body) {
        if (count <= 0) {
            return;
        }
        long cost = Math.max(1, costPerItem);
        if (count == 1 || count * cost <= grain) {
            body.run(0, count);
            return;
        }
        Split root = new Split(body, 0, count, cost, grain);
        if (pool == ForkJoinPool.commonPool()) {
            root.invoke();
        } else {
            pool.invoke(root);
        }
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final long cost;
        private final long grain;

        Split(RangeBody body, int from, int to, long cost, long grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.cost = cost;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            int n = to - from;
            if (n <= 1 || n * cost <= 2 * grain) {
                body.run(from, to);
                return;
            }
            int mid = from + n / 2;
            invokeAll(new Split(body, from, mid, cost, grain), new Split(body, mid, to, cost, grain));
        }
    }
}
