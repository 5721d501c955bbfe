package org.bfabench.harness.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bfabench.harness.stats.Bootstrap;
import org.bfabench.harness.stats.Summary;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellResult;
import org.bfabench.harness.store.CellStatus;

/**
 * Aggregates cell records into leaderboard rows. A pure function of the records: no clock, no host,
 * no file system, so equal stores give equal boards.
 */
public final class BoardBuilder {
    private final Bootstrap bootstrap;

    public BoardBuilder(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    public BoardBuilder() {
        this(Bootstrap.LEADERBOARD);
    }

    /** Rows sorted by dataset, model, defense, attack. */
    public List<BoardRow> rows(List<CellRecord> records) {
        Map<List<String>, List<CellRecord>> groups = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)).thenComparing(k -> k.get(3)));
        for (CellRecord r : records) {
            CellConfig c = r.config();
            groups.computeIfAbsent(List.of(c.dataset().id(), c.model().id(), c.defense().id(), c.attack().id()),
                    k -> new ArrayList<>()).add(r);
        }
        List<BoardRow> rows = new ArrayList<>();
        for (List<CellRecord> group : groups.values()) {
            group.sort(Comparator.comparingLong((CellRecord r) -> r.config().trainSeed())
                    .thenComparingLong(r -> r.config().attackSeed()));
            rows.add(row(group));
        }
        List<BoardRow> withRatios = new ArrayList<>();
        for (BoardRow row : rows) {
            withRatios.add(row.withResistance(resistance(row, rows, groupReference(records, row))));
        }
        return withRatios;
    }

    private BoardRow row(List<CellRecord> group) {
        CellConfig first = group.get(0).config();
        List<CellRecord> ok = group.stream().filter(r -> r.status() == CellStatus.OK).toList();
        int budget = first.flipBudget();
        double[] flips = ok.stream().mapToDouble(r -> r.result().censored() ? budget : r.result().flips()).toArray();
        double[] clean = ok.stream().mapToDouble(r -> r.result().cleanAccuracy()).toArray();
        Optional<Summary> flipSummary = flips.length == 0 ? Optional.empty() : Optional.of(Summary.of(flips));
        OptionalDouble lo = OptionalDouble.empty();
        OptionalDouble hi = OptionalDouble.empty();
        if (flips.length > 0) {
            double[] ci = bootstrap.meanInterval(flips);
            lo = OptionalDouble.of(ci[0]);
            hi = OptionalDouble.of(ci[1]);
        }
        int censored = (int) ok.stream().filter(r -> r.result().censored()).count();
        String perSeed = ok.stream().map(r -> r.result().flips() + (r.result().censored() ? "+" : ""))
                .collect(Collectors.joining(";"));
        return new BoardRow(first.dataset().id(), first.model().id(), first.defense().id(), first.attack().id(),
                ok.size(), clean.length == 0 ? Optional.empty() : Optional.of(Summary.of(clean)), flipSummary, lo, hi,
                censored, budget, meanAfter(ok, 10), meanAfter(ok, 100), roundedMean(ok, CellResult::weightBits),
                roundedMean(ok, CellResult::parameters), OptionalDouble.empty(), perSeed, flipsByLayer(ok),
                distinct(ok, r -> r.result().facts().getOrDefault("widths", "")), status(group), provenance(group));
    }

    private static OptionalDouble meanAfter(List<CellRecord> ok, int k) {
        return ok.stream().map(r -> r.result().accuracyAfter(k)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).average();
    }

    private static Optional<Long> roundedMean(List<CellRecord> ok, java.util.function.ToLongFunction<CellResult> f) {
        OptionalDouble mean = ok.stream().mapToLong(r -> f.applyAsLong(r.result())).average();
        return mean.isPresent() ? Optional.of(Math.round(mean.getAsDouble())) : Optional.empty();
    }

    private static String flipsByLayer(List<CellRecord> ok) {
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (CellRecord r : ok) {
            for (CellResult.LayerFlips lf : r.result().flipsByLayer()) {
                names.putIfAbsent(lf.layer(), lf.name());
                counts.merge(lf.layer(), lf.flips(), Integer::sum);
            }
        }
        return counts.entrySet().stream().map(e -> names.get(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    private static String status(List<CellRecord> group) {
        Map<CellStatus, Integer> counts = new TreeMap<>();
        group.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        if (counts.keySet().equals(Set.of(CellStatus.OK))) {
            return "ok";
        }
        if (counts.keySet().equals(Set.of(CellStatus.NOT_APPLICABLE))) {
            return "n/a (" + distinct(group, CellRecord::message) + ")";
        }
        return counts.entrySet().stream().map(e -> e.getKey().label().toLowerCase(java.util.Locale.ROOT) + ":" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    private static BoardRow.RowProvenance provenance(List<CellRecord> group) {
        return new BoardRow.RowProvenance(
                distinct(group, r -> r.provenance().bfabenchVersion()),
                distinct(group, r -> r.provenance().gitCommit()),
                distinct(group, r -> r.provenance().spiVersion()),
                distinct(group, r -> String.join(";", r.config().dataset().label(), r.config().model().label(),
                        r.config().defense().label(), r.config().attack().label())),
                distinct(group, r -> r.config().gridSha256()),
                distinct(group, r -> r.config().datasetSha256()),
                group.stream().map(r -> r.config().seedLabel()).collect(Collectors.joining(";")));
    }

    private static String distinct(List<CellRecord> records, Function<CellRecord, String> f) {
        Set<String> values = new LinkedHashSet<>();
        records.forEach(r -> {
            String v = f.apply(r);
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        });
        return String.join(";", values);
    }

    private static String groupReference(List<CellRecord> records, BoardRow row) {
        return records.stream().filter(r -> r.config().dataset().id().equals(row.dataset()))
                .map(r -> r.config().referenceDefense()).findFirst().orElse("");
    }

    private static OptionalDouble resistance(BoardRow row, List<BoardRow> rows, String reference) {
        if (row.flips().isEmpty()) {
            return OptionalDouble.empty();
        }
        Map<String, BoardRow> byDefense = new LinkedHashMap<>();
        rows.stream().filter(r -> r.dataset().equals(row.dataset()) && r.model().equals(row.model())
                && r.attack().equals(row.attack())).forEach(r -> byDefense.put(r.defense(), r));
        BoardRow ref = byDefense.get(reference);
        if (ref == null || ref.flips().isEmpty() || ref.flips().get().mean() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(row.flips().get().mean() / ref.flips().get().mean());
    }
}
