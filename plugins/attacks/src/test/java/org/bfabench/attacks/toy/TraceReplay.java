package org.bfabench.attacks.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.FlipEvent;

/**
 * Replays a trace on a fresh copy of the clean model and checks every recorded number against what the
 * replay measures: codes before/after each flip, the attack-batch loss and evaluation accuracy after each
 * iteration, and that the attacked surface differs from the clean one by exactly the traced flips.
 */
public final class TraceReplay {
    private TraceReplay() {
    }

    public static void verify(ToyMlpSurface clean, ToyMlpSurface attacked, AttackTrace trace, Batch attackBatch,
            Batch evaluation) {
        ToyMlpSurface replay = clean.copy();
        try (BatchEvaluator eval = replay.evaluator(evaluation); BatchEvaluator atk = replay.evaluator(attackBatch)) {
            assertEquals(eval.accuracy(), trace.cleanAccuracy(), 0.0, "clean accuracy");
            List<FlipEvent> events = trace.events();
            int k = 0;
            int expectedIteration = 1;
            while (k < events.size()) {
                int iteration = events.get(k).iteration();
                assertEquals(expectedIteration++, iteration, "iterations are numbered 1, 2, 3, … without gaps");
                int first = k;
                while (k < events.size() && events.get(k).iteration() == iteration) {
                    FlipEvent e = events.get(k);
                    int bits = replay.layers().get(e.layer()).bits();
                    assertEquals(replay.layers().get(e.layer()).name(), e.layerName());
                    assertEquals(replay.code(e.layer(), e.index()), e.codeBefore(), "code before flip " + k);
                    assertEquals(ToyMlpSurface.flipBit(e.codeBefore(), e.bit(), bits), e.codeAfter(),
                            "code after flip " + k + " differs from flipping exactly bit " + e.bit());
                    replay.flip(new BitFlip(e.layer(), e.index(), e.bit()));
                    k++;
                }
                double loss = atk.loss();
                double accuracy = eval.accuracy();
                for (int j = first; j < k; j++) {
                    assertEquals(loss, events.get(j).loss(), 1e-12 * Math.max(1, Math.abs(loss)), "loss after iteration "
                            + iteration);
                    assertEquals(accuracy, events.get(j).accuracy(), 0.0, "accuracy after iteration " + iteration);
                }
            }
            assertEquals(eval.accuracy(), trace.finalAccuracy(), 0.0, "final accuracy");
        }
        int[][] expected = replay.codes();
        int[][] actual = attacked.codes();
        for (int l = 0; l < expected.length; l++) {
            assertArrayEquals(expected[l], actual[l], "layer " + l + " holds exactly the traced flips");
        }
    }
}
