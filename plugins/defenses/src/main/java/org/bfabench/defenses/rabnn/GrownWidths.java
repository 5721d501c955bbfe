package org.bfabench.defenses.rabnn;

/**
 * Final width of a grown layer (ALGORITHMS.md §3 step 6): ⌊base × factor × density⌋, never below the
 * base width — growth may only add channels to the network it started from.
 */
public final class GrownWidths {
    private GrownWidths() {
    }

    public static int width(int base, double factor, double density) {
        if (base <= 0 || factor < 1 || density < 0 || density > 1) {
            throw new IllegalArgumentException("base=" + base + " factor=" + factor + " density=" + density);
        }
        // the small epsilon keeps e.g. 16 × 3 × (1/3 as a double) from flooring to 15
        int grown = (int) Math.floor(base * factor * density + 1e-9);
        return Math.max(base, grown);
    }
}
