package org.bfabench.nn.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.bfabench.nn.layer.Pool2d;
import org.bfabench.nn.layer.Relu;
import org.junit.jupiter.api.Test;

class PoolProbeTest {

    private static int[] probe(Pool2d pool, int k, int s, int h, int w) {
        return PoolProbe.maxPoolGeometry(pool, h, w, (h - k) / s + 1, (w - k) / s + 1);
    }

    @Test
    void maxPoolsAreRecognisedWithTheirKernelAndStride() {
        assertArrayEquals(new int[] {2, 2}, probe(Pool2d.max(2, 2), 2, 2, 32, 32));
        assertArrayEquals(new int[] {2, 2}, probe(Pool2d.max(2, 2), 2, 2, 7, 9));
        assertArrayEquals(new int[] {3, 2}, probe(Pool2d.max(3, 2), 3, 2, 11, 8));
        assertArrayEquals(new int[] {2, 1}, probe(Pool2d.max(2, 1), 2, 1, 5, 6));
    }

    @Test
    void aSingleWindowPoolIsRecognisedWithAStrideThatKeepsOneWindow() {
        assertArrayEquals(new int[] {2, 2}, probe(Pool2d.max(2, 2), 2, 2, 3, 3));
        int[] g = probe(Pool2d.max(3, 2), 3, 2, 3, 3);
        assertArrayEquals(new int[] {1, 1}, new int[] {(3 - g[0]) / g[1] + 1, (3 - g[0]) / g[1] + 1});
    }

    @Test
    void averagePoolsAndOtherLayersAreNotMistakenForMaxPools() {
        assertNull(probe(Pool2d.average(2, 2), 2, 2, 8, 8));
        assertNull(probe(Pool2d.average(3, 2), 3, 2, 9, 9));
        assertNull(PoolProbe.maxPoolGeometry(new Relu(), 4, 4, 2, 2));
    }
}
