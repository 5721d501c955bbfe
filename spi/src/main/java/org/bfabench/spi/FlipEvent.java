package org.bfabench.spi;

/**
 * One committed bit flip of an attack.
 *
 * @param iteration  attack iteration (1-based) that committed it; PBS may commit several flips in one
 * @param layer      layer index
 * @param layerName  layer name
 * @param index      weight index
 * @param bit        bit position
 * @param codeBefore code before the flip
 * @param codeAfter  code after the flip
 * @param loss       attack-batch loss after the iteration
 * @param accuracy   evaluation accuracy (0..1) after the iteration
 */
public record FlipEvent(int iteration, int layer, String layerName, int index, int bit, int codeBefore,
        int codeAfter, double loss, double accuracy) {
}
