package org.bfabench.attacks.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.Progress;
import org.bfabench.spi.StopReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attack loop shared by every attack of this plugin (ALGORITHMS.md §4, after Rakin et al., ICCV 2019
 * §4): draw the attack batch, measure clean accuracy, then repeat {step → commit → evaluate → stop?}.
 *
 * <p>Randomness: {@code root = new SplittableRandom(seed)}; the attack batch is drawn from
 * {@code root.split()} and the step gets the second {@code root.split()}, so the batch does not depend
 * on how many numbers the step consumes.
 *
 * <p>Per committed iteration every flip becomes one event carrying the attack-batch loss after the
 * iteration (the step's own measurement when it has one, else {@link BatchEvaluator#loss()}) and the
 * evaluation accuracy after it, measured through one evaluator on {@link AttackContext#evaluation()}
 * created once per run. {@code attackNanos} covers the whole run, batch drawing included.
 */
public final class AttackRun {
    private static final Logger LOG = LoggerFactory.getLogger(AttackRun.class);

    private final String attackId;
    private final BatchOptions batchOptions;

    public AttackRun(String attackId, BatchOptions batchOptions) {
        this.attackId = attackId;
        this.batchOptions = batchOptions;
    }

    public AttackTrace execute(AttackContext context, StepFactory steps) {
        long start = System.nanoTime();
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom batchRandom = root.split();
        SplittableRandom stepRandom = root.split();
        AttackSurface surface = context.surface();
        Progress progress = context.progress() == null ? Progress.NONE : context.progress();
        Batch attackBatch = AttackBatch.draw(attackId, context.attackPool(), batchOptions, batchRandom, surface);
        StopRule rule = new StopRule(context.stopAccuracy(), context.flipBudget());

        try (BatchEvaluator evaluation = surface.evaluator(context.evaluation());
                BatchEvaluator attack = surface.evaluator(attackBatch)) {
            double accuracy = evaluation.accuracy();
            TraceRecorder trace = new TraceRecorder(surface, accuracy);
            AttackStep step = steps.create(surface, attack, stepRandom);
            progress.start(attackId, context.flipBudget());
            int iteration = 0;
            Optional<Proposal.Stop> stop = rule.check(accuracy, 0);
            while (stop.isEmpty()) {
                Proposal proposal = step.next(context.flipBudget() - trace.flips());
                if (proposal instanceof Proposal.Stop s) {
                    stop = Optional.of(s);
                    break;
                }
                Proposal.Commit commit = (Proposal.Commit) proposal;
                if (commit.flips().size() > context.flipBudget() - trace.flips()) {
                    throw new IllegalStateException(attackId + " proposed " + commit.flips().size()
                            + " flips with only " + (context.flipBudget() - trace.flips()) + " left in the budget");
                }
                iteration++;
                List<int[]> codes = trace.apply(commit.flips(), step);
                double loss = Double.isNaN(commit.lossAfter()) ? attack.loss() : commit.lossAfter();
                accuracy = evaluation.accuracy();
                trace.record(iteration, commit.flips(), codes, loss, accuracy);
                progress.step(trace.flips(), String.format(Locale.ROOT, "iteration %d, accuracy %.2f%%", iteration,
                        100 * accuracy));
                stop = rule.check(accuracy, trace.flips());
            }
            Proposal.Stop s = stop.get();
            long nanos = System.nanoTime() - start;
            LOG.debug("{} stopped after {} flips in {} iterations: {} ({})", attackId, trace.flips(), iteration,
                    s.reason(), s.detail());
            return trace.finish(s.reason(), s.detail(), accuracy, nanos);
        }
    }

    /** A stop for steps that ran out of candidates. */
    public static Proposal.Stop noEligibleFlip(String detail) {
        return new Proposal.Stop(StopReason.NO_ELIGIBLE_FLIP, detail);
    }
}
