package org.bfabench.harness.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bfabench.harness.plugin.PluginReportRow;

/** The "plugins loaded" report as a fixed-width table, sorted by kind (dataset, model, defense, attack) then id. */
final class PluginTable {
    private static final List<String> KIND_ORDER = List.of("dataset", "model", "defense", "attack");

    private PluginTable() {
    }

    static String format(List<PluginReportRow> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"ID", "KIND", "VERSION", "SPI", "SOURCE", "DESCRIPTION"});
        rows.stream()
                .sorted(Comparator.comparingInt((PluginReportRow r) -> kindRank(r.kind())).thenComparing(PluginReportRow::id))
                .forEach(r -> cells.add(new String[] {r.id(), r.kind(), r.version(), Integer.toString(r.spiVersion()),
                        r.source(), r.description()}));
        int[] width = new int[5];
        for (String[] row : cells) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < width.length; i++) {
                sb.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
            }
            sb.append(row[5]).append('\n');
        }
        return sb.toString();
    }

    private static int kindRank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }
}
