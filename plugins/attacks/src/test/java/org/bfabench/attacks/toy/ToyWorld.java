package org.bfabench.attacks.toy;

import java.util.Map;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.Batch;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;

/**
 * Blob data plus quantization-aware-trained toy models (8-bit, 4-bit, binary), built once per test
 * class; hand each test a {@link ToyMlpSurface#copy()} so flips never leak between tests.
 */
public final class ToyWorld {
    public static final int HIDDEN = 32;
    public final ImageSplit train;
    public final ImageSplit test;
    public final Batch evaluation;
    public final ToyMlpSurface eightBit;
    public final ToyMlpSurface binary;

    public ToyWorld() {
        Blobs blobs = new Blobs(7, 0.7);
        train = blobs.sample(2000, 11);
        test = blobs.sample(1000, 13);
        evaluation = test.all();
        eightBit = ToyTraining.train(train, HIDDEN, new int[] {8, 8}, 5, 15);
        binary = ToyTraining.train(train, HIDDEN, new int[] {1, 1}, 5, 15);
    }

    public AttackContext context(AttackSurface surface, int budget, double stopAccuracy, long seed,
            Map<String, ?> options) {
        return new AttackContext(surface, train, evaluation, Blobs.CLASSES, budget, stopAccuracy, seed,
                Options.of(options), Progress.NONE);
    }

    /** Accuracy of {@code surface} on the evaluation batch. */
    public double accuracy(AttackSurface surface) {
        try (var e = surface.evaluator(evaluation)) {
            return e.accuracy();
        }
    }
}
