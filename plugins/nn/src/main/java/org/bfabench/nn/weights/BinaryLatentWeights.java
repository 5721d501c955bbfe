package org.bfabench.nn.weights;

import org.bfabench.nn.memory.BinaryMemory;
import org.bfabench.nn.memory.WeightMemory;

/**
 * Latent float weights whose base is sign(W) (sign(0) = +1) and whose frozen form is one stored bit
 * per weight; subclasses differ only in the scale and its gradient.
 */
abstract class BinaryLatentWeights extends LatentWeights {

    BinaryLatentWeights(float[] init, int outChannels) {
        super(init, outChannels);
    }

    @Override
    protected final float[] trainingBase() {
        return SignWeights.signs(latent);
    }

    @Override
    protected final WeightMemory encode(float[] base) {
        return BinaryMemory.ofSigns(base);
    }

    @Override
    protected final WeightMemory emptyMemory(int size) {
        return new BinaryMemory(size);
    }

    @Override
    protected final void store(WeightMemory m, int index, float code) {
        ((BinaryMemory) m).set(index, code > 0f);
    }
}
