package org.bfabench.harness.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellResult;
import org.bfabench.harness.store.CellResult.AccuracyAt;
import org.bfabench.harness.store.CellResult.LayerFlips;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.Provenance;
import org.bfabench.harness.store.Timing;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.FlipEvent;
import org.bfabench.spi.Footprint;

/** Builds store records from what a cell produced. */
final class Records {
    private Records() {
    }

    static CellRecord notOk(Cell cell, CellStatus status, String message, Timing timing, Provenance provenance) {
        return new CellRecord(CellRecord.FORMAT, cell.key(), cell.modelKey(), cell.config(), status, message, null,
                timing, provenance);
    }

    static CellRecord ok(Cell cell, ModelSession session, List<AttackableLayer> layers, int evalImages,
            AttackTrace trace, Provenance provenance) {
        List<FlipEvent> events = trace.events();
        List<AccuracyAt> after = new ArrayList<>();
        for (int k : CellResult.CHECKPOINTS) {
            if (k <= events.size()) {
                after.add(new AccuracyAt(k, events.get(k - 1).accuracy()));
            }
        }
        Map<Integer, Integer> perLayer = new LinkedHashMap<>();
        for (FlipEvent e : events) {
            perLayer.merge(e.layer(), 1, Integer::sum);
        }
        List<LayerFlips> byLayer = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            names.add(layers.get(l).name());
            if (perLayer.containsKey(l)) {
                byLayer.add(new LayerFlips(l, layers.get(l).name(), perLayer.get(l)));
            }
        }
        Footprint fp = session.footprint();
        CellResult result = new CellResult(session.cleanAccuracy(), session.testImages(), evalImages,
                trace.cleanAccuracy(), events.size(), trace.censored(), trace.stopReason().name(),
                trace.detail() == null ? "" : trace.detail(), trace.finalAccuracy(), after, byLayer, names,
                fp.weightBits(), fp.parameters(), fp.sideParameters(), session.facts());
        double seconds = trace.attackNanos() / 1e9;
        Timing timing = new Timing(session.trainingSeconds(), session.fromCache(), seconds,
                events.isEmpty() ? 0 : seconds / events.size());
        return new CellRecord(CellRecord.FORMAT, cell.key(), cell.modelKey(), cell.config(), CellStatus.OK, "", result,
                timing, provenance);
    }

    /** The first line of a throwable's message, for the console and the record. */
    /**
     * The FAILED message of {@code cell} for {@code t}. Running out of memory is named with the settings
     * that size the model (and, during an attack, the attack's), since those (not a bug) are what the
     * user changes.
     */
    static String failure(Cell cell, Throwable t, boolean inAttack) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                return "out of memory (" + firstLine(oom) + ") with model " + describe(cell.model()) + ", defense "
                        + describe(cell.defense()) + (inAttack ? ", attack " + describe(cell.attack()) : "")
                        + "; use smaller settings or give bfabench more memory (BFABENCH_JAVA_OPTS=-Xmx8g)";
            }
        }
        return firstLine(t);
    }

    private static String describe(org.bfabench.harness.grid.ComponentRef ref) {
        return ref.options().asMap().isEmpty() ? ref.id() : ref.id() + " " + new java.util.TreeMap<>(ref.options().asMap());
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage();
        String line = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse("").trim();
        return t instanceof org.bfabench.spi.BenchException ? line : t.getClass().getSimpleName() + ": " + line;
    }
}
