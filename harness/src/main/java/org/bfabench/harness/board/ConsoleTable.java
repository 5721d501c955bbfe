package org.bfabench.harness.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The board as a fixed-width text table for the console. */
public final class ConsoleTable {
    private static final List<String> HEADER = List.of("dataset", "model", "defense", "attack", "seeds", "clean %",
            "flips mean±std", "median", "min", "censored", "resist.", "status");

    private ConsoleTable() {
    }

    public static String render(List<BoardRow> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        for (BoardRow r : rows) {
            String flips = r.flips().map(s -> String.format(Locale.ROOT, "%.1f", s.mean())
                    + (s.std().isPresent() ? String.format(Locale.ROOT, " ± %.1f", s.std().getAsDouble()) : "")).orElse("-");
            table.add(List.of(r.dataset(), r.model(), r.defense(), r.attack(), Integer.toString(r.seeds()),
                    r.cleanAccuracy().map(s -> BoardCsv.percent(s.mean())).orElse("-"), flips,
                    r.flips().map(s -> BoardCsv.oneDecimal(s.median())).orElse("-"),
                    r.flips().map(s -> Long.toString(Math.round(s.min()))).orElse("-"),
                    r.censored() + "/" + r.seeds(),
                    r.resistance().isPresent() ? String.format(Locale.ROOT, "%.2fx", r.resistance().getAsDouble()) : "-",
                    r.status()));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> line : table) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < table.size(); n++) {
            List<String> line = table.get(n);
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                boolean numeric = i >= 4 && i <= 10;
                boolean last = i + 1 == line.size();
                sb.append(numeric ? " ".repeat(width[i] - cell.length()) + cell
                        : last ? cell : cell + " ".repeat(width[i] - cell.length()));
                sb.append(i + 1 < line.size() ? "  " : "");
            }
            sb.append(System.lineSeparator());
            if (n == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(total - 2)).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }
}
