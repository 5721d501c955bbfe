package org.bfabench.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellResult;
import org.bfabench.harness.store.CellResult.AccuracyAt;
import org.bfabench.harness.store.CellResult.LayerFlips;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ComponentVersion;
import org.bfabench.harness.store.Provenance;
import org.junit.jupiter.api.Test;

class BoardBuilderTest {
    private static final int BUDGET = 100;

    private static CellRecord cell(String defense, long seed, int flips, boolean censored, double clean, double accAt10) {
        CellConfig config = new CellConfig("g", "gridsha", "q8", new ComponentVersion("ds", "1", Map.of()), "datasha",
                new ComponentVersion("net", "2", Map.of()), new ComponentVersion(defense, "3", Map.of()),
                new ComponentVersion("pbfa", "4", Map.of("k_top", 10)), seed, seed, 1, 32, 0, 0, BUDGET, 0, 0.11);
        List<AccuracyAt> after = new ArrayList<>();
        after.add(new AccuracyAt(1, 0.5));
        if (flips >= 10) {
            after.add(new AccuracyAt(10, accAt10));
        }
        List<LayerFlips> layers = List.of(new LayerFlips(0, "conv0", flips / 2), new LayerFlips(2, "fc", flips - flips / 2));
        CellResult r = new CellResult(clean, 1000, 500, clean, flips, censored,
                censored ? "NO_ELIGIBLE_FLIP" : "THRESHOLD_REACHED", "", 0.1, after, layers, List.of("conv0", "conv1", "fc"),
                800, 100, 10, Map.of("widths", "16-32"));
        return new CellRecord(CellRecord.FORMAT, defense + seed, "m" + defense + seed, config, CellStatus.OK, "", r, null,
                new Provenance("0.1", "abc", "1.0"));
    }

    private static List<CellRecord> records() {
        return List.of(
                cell("q8", 1, 10, false, 0.90, 0.20),
                cell("q8", 2, 20, false, 0.80, 0.40),
                cell("q8", 3, 37, true, 0.85, 0.60),
                cell("bnn", 1, 40, false, 0.70, 0.50),
                cell("bnn", 2, 60, false, 0.70, 0.70),
                cell("bnn", 3, 80, false, 0.70, 0.90));
    }

    private static Map<String, CSVRecord> rows(String csv) throws IOException {
        Map<String, CSVRecord> m = new java.util.HashMap<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))) {
            m.put(r.get("defense"), r);
        }
        return m;
    }

    @Test
    void aCensoredSeedCountsAsTheBudgetAndStatisticsMatchHandComputedValues() throws IOException {
        CSVRecord q8 = rows(BoardCsv.render(new BoardBuilder().rows(records()))).get("q8");
        // flips {10, 20, 100 (censored → budget)}: mean 43.33, sample std sqrt(4866.67 / 2) = 49.33, median 20
        assertEquals("43.3", q8.get("flips_to_random_mean"));
        assertEquals("49.3", q8.get("flips_to_random_std"));
        assertEquals("20.0", q8.get("flips_to_random_median"));
        assertEquals("10", q8.get("flips_to_random_min"));
        assertEquals("1", q8.get("censored"));
        assertEquals("100", q8.get("budget"));
        assertEquals("10;20;37+", q8.get("flips_per_seed"));
        assertEquals("85.00", q8.get("clean_acc_mean"));
        assertEquals("5.00", q8.get("clean_acc_std"));
        assertEquals("40.00", q8.get("acc_after_10_mean"), "mean over the seeds that reached 10 flips");
        assertEquals("", q8.get("acc_after_100_mean"), "no seed reached 100 flips");
        assertEquals("conv0:33;fc:34", q8.get("flips_by_layer"));
        assertEquals("1.00", q8.get("resistance_vs_reference"));
        assertEquals("800", q8.get("weight_bits"));
        assertEquals("16-32", q8.get("widths"));
        assertEquals("1;2;3", q8.get("seed_list"));
        assertEquals("ds@1;net@2;q8@3;pbfa@4", q8.get("plugins"));
        double lo = Double.parseDouble(q8.get("flips_to_random_ci_low"));
        double hi = Double.parseDouble(q8.get("flips_to_random_ci_high"));
        // 3 values: P(resample mean = 10) = 1/27 > 2.5 %, P(mean = 100) = 1/27 → CI [10, 100]
        assertEquals(10.0, lo, 0);
        assertEquals(100.0, hi, 0);
    }

    @Test
    void resistanceIsMeanFlipsOverTheReferenceDefensesMeanFlips() throws IOException {
        CSVRecord bnn = rows(BoardCsv.render(new BoardBuilder().rows(records()))).get("bnn");
        assertEquals("60.0", bnn.get("flips_to_random_mean"));
        assertEquals("20.0", bnn.get("flips_to_random_std"));
        assertEquals("1.38", bnn.get("resistance_vs_reference"), "60 / 43.33");
        assertEquals("0", bnn.get("censored"));
    }

    @Test
    void theBoardDoesNotDependOnRecordOrderAndRowsAreSorted() {
        String expected = BoardCsv.render(new BoardBuilder().rows(records()));
        List<CellRecord> shuffled = new ArrayList<>(records());
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(expected, BoardCsv.render(new BoardBuilder().rows(shuffled)));
        List<String> lines = expected.lines().toList();
        assertEquals(3, lines.size());
        assertEquals(String.join(",", BoardCsv.COLUMNS), lines.get(0));
        assertEquals("ds,net,bnn,pbfa", lines.get(1).substring(0, 15));
    }

    @Test
    void failedSeedsAreLeftOutOfTheStatisticsButShownInTheStatus() throws IOException {
        List<CellRecord> rs = new ArrayList<>(records());
        CellRecord ok = rs.remove(5);
        rs.add(new CellRecord(ok.format(), ok.key(), ok.modelKey(), ok.config(), CellStatus.TIMEOUT, "too slow", null,
                null, ok.provenance()));
        CSVRecord bnn = rows(BoardCsv.render(new BoardBuilder().rows(rs))).get("bnn");
        assertEquals("2", bnn.get("seeds"));
        assertEquals("50.0", bnn.get("flips_to_random_mean"));
        assertEquals("ok:2;timeout:1", bnn.get("status"));
        assertEquals("1;2;3", bnn.get("seed_list"));
    }
}
