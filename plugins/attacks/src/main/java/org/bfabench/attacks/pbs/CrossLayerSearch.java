package org.bfabench.attacks.pbs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bfabench.attacks.core.AttackRun;
import org.bfabench.attacks.core.AttackStep;
import org.bfabench.attacks.core.Proposal;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.LossGradient;
import org.bfabench.spi.StopReason;

/**
 * One PBS iteration (Rakin et al., ICCV 2019, §4.2 "progressive bit search"; ALGORITHMS.md §4): with
 * L0 and the code gradients of the attack batch, for n = 1, 2, … evaluate in every layer the loss L_ℓ
 * with that layer's n best eligible bits flipped, until max_ℓ L_ℓ &gt; L0; then commit the flips of
 * ℓ* = argmax L_ℓ (ties go to the lower layer index).
 *
 * <p>Stops instead of committing when no layer has an eligible bit, when every layer runs out of
 * eligible bits before the loss rises ({@code NO_ELIGIBLE_FLIP}), or when the next n would exceed the
 * remaining flip budget ({@code BUDGET_EXHAUSTED}: the budget is never overdrawn, the run is censored).
 */
final class CrossLayerSearch implements AttackStep {
    private final BatchEvaluator attackBatch;
    private final LayerRanking[] layers;
    private final String kTopDescription;
    private final String kTopAdvice;
    private final List<BitFlip> buffer = new ArrayList<>();

    CrossLayerSearch(AttackSurface surface, BatchEvaluator attackBatch, int kTop) {
        this.attackBatch = attackBatch;
        int count = surface.layers().size();
        this.layers = new LayerRanking[count];
        for (int l = 0; l < count; l++) {
            layers[l] = new LayerRanking(surface, l, kTop);
        }
        this.kTopDescription = kTop == Integer.MAX_VALUE ? "all" : Integer.toString(kTop);
        this.kTopAdvice = kTop == Integer.MAX_VALUE ? "" : "; k_top: all searches every weight";
    }

    @Override
    public Proposal next(int remainingBudget) {
        LossGradient lg = attackBatch.lossAndGradient();
        double l0 = lg.loss();
        float[][] g = lg.gradients();
        if (g.length != layers.length) {
            throw new IllegalStateException("surface returned gradients for " + g.length + " layers, it has "
                    + layers.length);
        }
        for (int l = 0; l < layers.length; l++) {
            layers[l].prepare(g[l]);
        }
        for (int n = 1;; n++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestLayer = -1;
            for (int l = 0; l < layers.length; l++) {
                if (layers[l].eligible() < n) {
                    continue;
                }
                if (n > remainingBudget) {
                    return new Proposal.Stop(StopReason.BUDGET_EXHAUSTED, String.format(Locale.ROOT,
                            "the next PBS iteration needs at least %d flips to raise the loss but only %d remain"
                                    + " in the budget", n, remainingBudget));
                }
                buffer.clear();
                layers[l].top(n, buffer);
                double loss = attackBatch.lossWith(buffer);
                if (loss > best) {
                    best = loss;
                    bestLayer = l;
                }
            }
            if (bestLayer < 0) {
                return AttackRun.noEligibleFlip(n == 1
                        ? String.format(Locale.ROOT, "no layer has an eligible bit (a flip that raises the attack-batch"
                                + " loss %.6g to first order) among its candidates (k_top=%s for N-bit layers%s)", l0,
                                kTopDescription, kTopAdvice)
                        : String.format(Locale.ROOT, "flipping up to %d eligible bits in any one layer never raised the"
                                + " attack-batch loss above %.6g and no layer has more eligible bits (k_top=%s%s)",
                                n - 1, l0, kTopDescription, kTopAdvice));
            }
            if (best > l0) {
                buffer.clear();
                layers[bestLayer].top(n, buffer);
                return new Proposal.Commit(buffer, best);
            }
        }
    }

    @Override
    public void committed(BitFlip flip, int codeAfter) {
        layers[flip.layer()].committed(flip.index(), codeAfter);
    }
}
