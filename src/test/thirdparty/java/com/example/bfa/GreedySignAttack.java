package com.example.bfa;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.FlipEvent;
import org.bfabench.spi.StopReason;

/**
 * A greedy gradient bit-flip attack: each iteration ranks the bits of every layer by the first-order
 * loss increase {@code g · Δcode} of flipping them, evaluates each layer's {@code k_top} best exactly, and
 * commits the one flip that raises the attack-batch loss most. Works on any surface with gradients (N-bit or 1-bit layers).
 * Options: {@code k_top} (default 5), {@code batch_size} (default 128).
 */
public final class GreedySignAttack implements Attack {
    @Override
    public String id() {
        return "greedy-sign";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "greedy first-order bit search, one flip per iteration (third-party example)";
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    private record Candidate(BitFlip flip, double gain) { }

    @Override
    public AttackTrace run(AttackContext ctx) {
        long t0 = System.nanoTime();
        int k = ctx.options().getInt("k_top", 5);
        int batchSize = Math.min(ctx.options().getInt("batch_size", 128), ctx.attackPool().size());
        Random rng = new Random(ctx.seed());
        int[] idx = rng.ints(0, ctx.attackPool().size()).distinct().limit(batchSize).toArray();
        Batch attackBatch = ctx.attackPool().batch(idx);
        AttackSurface s = ctx.surface();
        List<AttackableLayer> layers = s.layers();
        try (BatchEvaluator attack = s.evaluator(attackBatch); BatchEvaluator eval = s.evaluator(ctx.evaluation())) {
            double clean = eval.accuracy();
            double acc = clean;
            List<FlipEvent> events = new ArrayList<>();
            StopReason reason = StopReason.BUDGET_EXHAUSTED;
            String detail = "";
            ctx.progress().start("greedy-sign flips", ctx.flipBudget());
            while (acc > ctx.stopAccuracy()) {
                if (events.size() >= ctx.flipBudget()) {
                    break;
                }
                float[][] grad = attack.lossAndGradient().gradients();
                double baseLoss = attack.loss();
                BitFlip chosen = null;
                double chosenLoss = baseLoss;
                for (int l = 0; l < layers.size(); l++) {
                    // gradients differ in scale between layers, so candidates are ranked within a layer and
                    // the layers compete on the exact loss (as in Progressive Bit Search)
                    PriorityQueue<Candidate> best = new PriorityQueue<>((a, b) -> Double.compare(a.gain(), b.gain()));
                    int bits = layers.get(l).bits();
                    for (int i = 0; i < layers.get(l).weightCount(); i++) {
                        int code = s.code(l, i);
                        for (int b = 0; b < bits; b++) {
                            double gain = grad[l][i] * (flipped(code, b, bits) - code);
                            if (gain > 0 && (best.size() < k || gain > best.peek().gain())) {
                                if (best.size() == k) {
                                    best.poll();
                                }
                                best.add(new Candidate(new BitFlip(l, i, b), gain));
                            }
                        }
                    }
                    for (Candidate c : best) {
                        double loss = attack.lossWith(List.of(c.flip()));
                        if (loss > chosenLoss) {
                            chosenLoss = loss;
                            chosen = c.flip();
                        }
                    }
                }
                if (chosen == null) {
                    reason = StopReason.NO_ELIGIBLE_FLIP;
                    detail = "no candidate flip raised the loss";
                    break;
                }
                int before = s.code(chosen.layer(), chosen.index());
                s.flip(chosen);
                acc = eval.accuracy();
                ctx.progress().step(events.size() + 1, String.format("acc %.3f", acc));
                events.add(new FlipEvent(events.size() + 1, chosen.layer(), layers.get(chosen.layer()).name(),
                        chosen.index(), chosen.bit(), before, s.code(chosen.layer(), chosen.index()), chosenLoss, acc));
            }
            if (acc <= ctx.stopAccuracy()) {
                reason = StopReason.THRESHOLD_REACHED;
            }
            return new AttackTrace(clean, events, reason, detail, acc, System.nanoTime() - t0);
        }
    }

    /** The code after flipping bit {@code b}: two's complement for N ≥ 2 bits, the sign for 1-bit layers. */
    static int flipped(int code, int b, int bits) {
        if (bits == 1) {
            return -code;
        }
        int mask = (1 << bits) - 1;
        int raw = (code & mask) ^ (1 << b);
        return raw >= 1 << (bits - 1) ? raw - (1 << bits) : raw;
    }
}
