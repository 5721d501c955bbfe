package org.bfabench.harness.run;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.bfabench.harness.io.TraceCsv;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.progress.TaskProgress;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.Timing;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.ImageSplit;

/**
 * Runs one attack cell against a ready {@link ModelSession} and stores its record (and trace).
 * Capability check first (ART's lesson): no surface, or a gradient attack on a gradient-free surface,
 * is N/A rather than a crash.
 */
final class AttackCellRunner {
    private final RunContext ctx;

    AttackCellRunner(RunContext ctx) {
        this.ctx = ctx;
    }

    CellRecord run(Cell cell, ModelSession session) {
        Timing modelTiming = new Timing(session.trainingSeconds(), session.fromCache(), 0, 0);
        Optional<AttackSurface> maybeSurface = session.surface();
        if (maybeSurface.isEmpty()) {
            return store(Records.notOk(cell, CellStatus.NOT_APPLICABLE, "defense '" + cell.defense().id()
                    + "' built a model without an attack surface", modelTiming, ctx.provenance()), Optional.empty());
        }
        AttackSurface surface = maybeSurface.get();
        LoadedComponent<Attack> attack = ctx.registry().attacks().get(cell.attack().id());
        LoadedComponent<?> defense = session.defense();
        try {
            boolean needs = attack.call(() -> attack.component().needsGradients());
            boolean has = defense.call(surface::hasGradients);
            if (needs && !has) {
                return store(Records.notOk(cell, CellStatus.NOT_APPLICABLE, "attack '" + cell.attack().id()
                        + "' needs gradients; defense '" + cell.defense().id() + "' provides none", modelTiming,
                        ctx.provenance()), Optional.empty());
            }
            List<AttackableLayer> layers = defense.call(surface::layers);
            session.restoreClean();
            Dataset data = session.dataset();
            int evalSize = cell.config().evalSize() == 0 ? data.test().size()
                    : Math.min(cell.config().evalSize(), data.test().size());
            Batch evaluation = EvaluationSubset.stratified(data.test(), evalSize, data.numClasses());
            ImageSplit pool = cell.config().trainLimit() > 0 ? data.train().head(cell.config().trainLimit()) : data.train();
            AttackTrace trace;
            try (TaskProgress p = ctx.progress().open(cell.config().defense().id() + " seed " + cell.config().seedLabel())) {
                AttackContext ac = new AttackContext(surface, pool, evaluation, data.numClasses(),
                        cell.config().flipBudget(), cell.config().stopAccuracy(), cell.config().attackSeed(),
                        cell.attack().options(), p);
                trace = Watchdog.call("bfabench-attack-" + cell.key().substring(0, 8), ctx.timeout(),
                        () -> attack.call(() -> attack.component().run(ac)));
            }
            if (trace == null) {
                throw new ExecutionException(new IllegalStateException("attack returned no trace"));
            }
            CellRecord record = Records.ok(cell, session, layers, evalSize, trace, ctx.provenance());
            return store(record, Optional.of(TraceCsv.gzip(trace.events())));
        } catch (Watchdog.Overrun e) {
            session.abandon();
            return store(Records.notOk(cell, CellStatus.TIMEOUT, "attack " + e.getMessage(), modelTiming,
                    ctx.provenance()), Optional.empty());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return failed(cell, modelTiming, cause);
        } catch (RuntimeException e) {
            return failed(cell, modelTiming, e);
        }
    }

    private CellRecord failed(Cell cell, Timing timing, Throwable cause) {
        GridRunner.FAILURES.error("cell {} ({}) failed", cell.label(), cell.key(), cause);
        return store(Records.notOk(cell, CellStatus.FAILED, Records.failure(cell, cause, true), timing, ctx.provenance()),
                Optional.empty());
    }

    private CellRecord store(CellRecord record, Optional<byte[]> trace) {
        ctx.store().write(record, trace);
        return record;
    }
}
