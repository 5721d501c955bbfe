package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bfabench.harness.board.BoardCsv;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;

class BoardComparisonTest {
    /** The real header, so a renamed board column breaks this test and not the nightly. */
    static final String HEADER = String.join(",", BoardCsv.COLUMNS) + "\n";

    /** A board row in the real column order; only the compared statistics vary. */
    static String row(String defense, String attack, String cleanMean, String cleanStd, String flipsMean, String ciLow,
            String ciHigh) {
        return String.join(",", "fashion-mnist", "cnn-small", defense, attack, "5", cleanMean, cleanStd, flipsMean, "3.1",
                flipsMean, "10", ciLow, ciHigh, "0", "500", "42.00", "", "1000", "125", "4047", "276.1", "1.00", "10;11;12;13;14",
                "conv0:30;fc:30", "", "ok", "0.1.0", "abc", "1.0", "fashion-mnist@1;cnn-small@1", "gridsha", "datasha",
                "1;2;3;4;5") + "\n";
    }

    static final String PREVIOUS = HEADER
            + row("binary-weights", "random-flip", "85.00", "0.50", "300.0", "250.0", "350.0")
            + row("quantized-4bit", "pbfa", "90.00", "0.40", "40.0", "30.0", "52.0")
            + row("quantized-8bit", "pbfa", "91.00", "0.30", "20.0", "15.0", "26.0");

    static final String CURRENT = HEADER
            + row("bnn", "pbfa", "80.00", "1.00", "120.0", "100.0", "140.0")
            + row("quantized-4bit", "pbfa", "90.90", "0.60", "45.0", "33.0", "60.0")
            + row("quantized-8bit", "pbfa", "91.20", "0.30", "31.5", "25.0", "38.0");

    private static List<Regression> compare(String previous, String current) {
        return BoardComparison.compare("g", BoardTable.parse(previous, "previous.csv"), BoardTable.parse(current, "current.csv"));
    }

    private static RowKey key(String defense, String attack) {
        return new RowKey("fashion-mnist", "cnn-small", defense, attack);
    }

    @Test
    void aMeanOutsideThePreviousCiANewRowAndAMissingRowAreReportedAndAMoveWithinTheCiIsNot() {
        assertEquals(List.of(
                new Regression("g", key("binary-weights", "random-flip"), Regression.Kind.MISSING_ROW, "", "", "", ""),
                new Regression("g", key("bnn", "pbfa"), Regression.Kind.NEW_ROW, "", "", "", ""),
                new Regression("g", key("quantized-8bit", "pbfa"), Regression.Kind.FLIPS_OUTSIDE_CI,
                        "flips_to_random_mean", "20.0", "31.5", "[15.0, 26.0]")),
                compare(PREVIOUS, CURRENT));
    }

    @Test
    void theCiBoundsThemselvesAreInside() {
        String prev = HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "20.0", "15.0", "26.0");
        assertEquals(List.of(), compare(prev, HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "26.0", "1", "2")));
        assertEquals(List.of(), compare(prev, HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "15.0", "1", "2")));
        assertEquals(1, compare(prev, HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "14.9", "1", "2")).size());
    }

    @Test
    void cleanAccuracyMayMoveByTwoPreviousStdsWhenThatExceedsOnePoint() {
        String prev = HEADER + row("bnn", "pbfa", "88.00", "1.50", "20.0", "15.0", "26.0");
        assertEquals(List.of(), compare(prev, HEADER + row("bnn", "pbfa", "91.00", "0.10", "20.0", "1", "2")));
        assertEquals(List.of(new Regression("g", key("bnn", "pbfa"), Regression.Kind.CLEAN_ACC_MOVED, "clean_acc_mean",
                "88.00", "84.99", "[85.00, 91.00]")),
                compare(prev, HEADER + row("bnn", "pbfa", "84.99", "0.10", "20.0", "1", "2")));
    }

    @Test
    void cleanAccuracyMayMoveByOnePointWhenTheStdIsSmallOrUndefined() {
        String prev = HEADER + row("bnn", "pbfa", "88.00", "", "20.0", "15.0", "26.0");
        assertEquals(List.of(), compare(prev, HEADER + row("bnn", "pbfa", "89.00", "", "20.0", "1", "2")));
        List<Regression> moved = compare(prev, HEADER + row("bnn", "pbfa", "89.01", "", "20.0", "1", "2"));
        assertEquals(List.of(Regression.Kind.CLEAN_ACC_MOVED), moved.stream().map(Regression::kind).toList());
        assertEquals("[87.00, 89.00]", moved.get(0).allowed());
    }

    @Test
    void statisticsThatBecameUndefinedCountAsMovedButRowsUndefinedOnBothBoardsDoNot() {
        String prev = HEADER + row("bnn", "pbfa", "88.00", "0.10", "20.0", "15.0", "26.0")
                + row("float", "pbfa", "", "", "", "", "");
        String now = HEADER + row("bnn", "pbfa", "", "", "", "", "") + row("float", "pbfa", "", "", "", "", "");
        assertEquals(List.of(Regression.Kind.FLIPS_OUTSIDE_CI, Regression.Kind.CLEAN_ACC_MOVED),
                compare(prev, now).stream().map(Regression::kind).toList());
        assertTrue(compare(prev, now).stream().allMatch(r -> r.row().defense().equals("bnn") && r.current().isEmpty()));
    }

    @Test
    void aFileThatIsNotABoardIsAUserErrorNamingIt() {
        BenchException e = assertThrows(BenchException.class, () -> BoardTable.parse("a,b\n1,2\n", "leaderboards/x.csv"));
        assertTrue(e.getMessage().contains("leaderboards/x.csv"), e.getMessage());
        BenchException nan = assertThrows(BenchException.class, () -> compare(PREVIOUS,
                HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "many", "1", "2")));
        assertTrue(nan.getMessage().contains("'many'"), nan.getMessage());
    }

    @Test
    void aThroughputFigureThatMovedOrAppearedIsNotARegression() {
        String prev = HEADER + row("quantized-8bit", "pbfa", "91.00", "0.30", "20.0", "15.0", "26.0");
        String slower = prev.replace(",4047,276.1,", ",812.5,,");
        assertTrue(slower.contains(",812.5,,1.00,"), slower);
        assertEquals(List.of(), compare(prev, slower));
        // a board committed before the inference columns existed compares with one that has them
        String old = prev.replace(",infer_img_per_s,infer_img_per_s_error,", ",").replace(",4047,276.1,", ",");
        assertEquals(List.of(), compare(old, prev));
        assertEquals(List.of(), compare(prev, old));
    }
}
