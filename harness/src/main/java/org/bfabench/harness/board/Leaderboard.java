package org.bfabench.harness.board;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one board.
 *
 * @param csv          {@code leaderboards/<grid>.csv}
 * @param plot         {@code leaderboards/<grid>.png}
 * @param runReport    {@code leaderboards/<grid>.run.json}
 * @param rows         the rows written
 * @param consoleTable the rows as text
 */
public record Leaderboard(Path csv, Path plot, Path runReport, List<BoardRow> rows, String consoleTable) {
}
