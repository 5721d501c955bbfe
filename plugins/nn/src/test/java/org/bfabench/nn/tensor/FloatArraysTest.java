package org.bfabench.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class FloatArraysTest {
    @Test
    void anArrayGivenBackIsTakenAgainOnlyForItsOwnLengthAndOnlyOnce() {
        FloatArrays pool = new FloatArrays(1 << 20);
        float[] a = pool.take(100);
        pool.give(a);
        assertEquals(400, pool.idleBytes());
        assertNotSame(a, pool.take(101), "another length gets a new array");
        assertSame(a, pool.take(100));
        assertNotSame(a, pool.take(100), "an array is handed to one holder at a time");
        assertEquals(0, pool.idleBytes());
    }

    @Test
    void pastTheBoundTheLongestIdleArraysAreDropped() {
        FloatArrays pool = new FloatArrays(1000); // 250 floats
        float[] oldest = new float[100];
        float[] middle = new float[100];
        float[] newest = new float[100];
        pool.give(oldest);
        pool.give(middle);
        pool.give(newest);
        assertEquals(800, pool.idleBytes(), "the oldest array is dropped to stay under 1000 bytes");
        assertSame(newest, pool.take(100), "the most recently given array comes first");
        assertSame(middle, pool.take(100));
        assertNotSame(oldest, pool.take(100));
        pool.give(new float[300]);
        assertEquals(0, pool.idleBytes(), "an array larger than the bound is never kept");
    }

    @Test
    void clearDropsEveryIdleArrayAndANullPoolAllocates() {
        FloatArrays pool = new FloatArrays(1 << 20);
        pool.give(new float[10]);
        pool.give(new float[20]);
        pool.clear();
        assertEquals(0, pool.idleBytes());
        assertEquals(7, FloatArrays.take(null, 7).length);
    }
}
