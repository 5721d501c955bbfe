package org.bfabench.attacks.toy;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.WeightSnapshot;

/**
 * Test instrumentation around a real surface: passes every call through and records the batches
 * evaluators were made for and every gradient the attack asked for, so tests can check the attack's
 * decisions against what it saw.
 */
public final class RecordingSurface implements AttackSurface {
    private final AttackSurface inner;
    public final List<Batch> evaluatorBatches = new ArrayList<>();
    public final List<LossGradient> gradients = new ArrayList<>();
    public int lossWithCalls;
    /** Gradients ({@link LossGradient}) and tentative evaluations ({@link LossWithCall}) in call order. */
    public final List<Object> log = new ArrayList<>();
    public int openEvaluators;
    /** Set false to present the model as one without gradients. */
    public boolean gradientsAvailable = true;

    /** One {@link BatchEvaluator#lossWith} call and its answer. */
    public record LossWithCall(List<BitFlip> flips, double loss) {
    }

    public RecordingSurface(AttackSurface inner) {
        this.inner = inner;
    }

    @Override
    public List<AttackableLayer> layers() {
        return inner.layers();
    }

    @Override
    public int code(int layer, int index) {
        return inner.code(layer, index);
    }

    @Override
    public void flip(BitFlip flip) {
        inner.flip(flip);
    }

    @Override
    public boolean hasGradients() {
        return gradientsAvailable && inner.hasGradients();
    }

    @Override
    public WeightSnapshot snapshot() {
        return inner.snapshot();
    }

    @Override
    public void restore(WeightSnapshot snapshot) {
        inner.restore(snapshot);
    }

    @Override
    public BatchEvaluator evaluator(Batch batch) {
        evaluatorBatches.add(batch);
        openEvaluators++;
        BatchEvaluator e = inner.evaluator(batch);
        return new BatchEvaluator() {
            @Override
            public Batch batch() {
                return e.batch();
            }

            @Override
            public double loss() {
                return e.loss();
            }

            @Override
            public LossGradient lossAndGradient() {
                LossGradient lg = e.lossAndGradient();
                gradients.add(lg);
                log.add(lg);
                return lg;
            }

            @Override
            public double lossWith(List<BitFlip> flips) {
                lossWithCalls++;
                double loss = e.lossWith(flips);
                log.add(new LossWithCall(List.copyOf(flips), loss));
                return loss;
            }

            @Override
            public int[] predictions() {
                return e.predictions();
            }

            @Override
            public double accuracy() {
                return e.accuracy();
            }

            @Override
            public void close() {
                openEvaluators--;
                e.close();
            }
        };
    }
}
