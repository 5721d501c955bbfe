package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;

class ThroughputComparisonTest {
    private static final String HEADER = "benchmark,model,defense,path,unit,score,score_error,samples,jvm,date\n";

    private static ThroughputComparison.Table table(String... rows) {
        return ThroughputComparison.Table.parse(HEADER + String.join("\n", rows) + "\n", "t.csv");
    }

    private static String inference(String defense, String score, String error) {
        return "inference,cnn-small," + defense + ",model,img/s," + score + "," + error + ",5,jvm,2026-11-25T06:16:15Z";
    }

    private static String pbs(String score, String error) {
        return "pbs_iteration,resnet20,quantized-8bit,attack,s/iteration," + score + "," + error + ",5,jvm,2026-11-25T06:16:15Z";
    }

    private static final ThroughputComparison.Table COMMITTED = table(inference("quantized-8bit", "4047", "276.1"),
            pbs("3.334", "1.122"));

    @Test
    void aRateWhoseNewIntervalEndsExactlyAtTheCommittedLowEndTouchesItAndDoesNotRegress() {
        // committed [4047 - 276.1, 4047 + 276.1] = [3770.9, 4323.1]; new 3400 + 370.9 = 3770.9: touching
        assertEquals(List.of(), ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "3400", "370.9"),
                pbs("3.334", "1.122"))));
    }

    @Test
    void aRateWhoseNewIntervalEndsOneDigitBelowTheCommittedLowEndDropped() {
        // new 3400 + 370.8 = 3770.8 < 3770.9
        List<Regression> r = ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "3400", "370.8"),
                pbs("3.334", "1.122")));
        assertEquals(List.of(new Regression("throughput", new RowKey("", "cnn-small", "quantized-8bit", ""),
                Regression.Kind.THROUGHPUT_DROPPED, "inference/model img/s", "4047 ± 276.1", "3400 ± 370.8",
                "[3770.9, 4323.1]")), r);
        assertTrue(r.get(0).regresses());
    }

    @Test
    void aTimeRegressesWhenItsNewIntervalLiesWhollyAboveTheCommittedOne() {
        // committed [3.334 - 1.122, 3.334 + 1.122] = [2.212, 4.456]
        assertEquals(List.of(), ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "4047", "276.1"),
                pbs("5.600", "1.144"))), "5.600 - 1.144 = 4.456 touches");
        List<Regression> r = ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "4047", "276.1"),
                pbs("5.600", "1.143")));
        assertEquals(1, r.size());
        assertEquals(Regression.Kind.THROUGHPUT_DROPPED, r.get(0).kind());
        assertEquals("pbs_iteration/attack s/iteration", r.get(0).metric());
        assertEquals("[2.212, 4.456]", r.get(0).allowed());
    }

    @Test
    void gettingFasterIsNotReportedEvenWithDisjointIntervals() {
        assertEquals(List.of(), ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "9000", "10"),
                pbs("0.5", "0.1"))));
    }

    @Test
    void anEmptyErrorIsAZeroWidthInterval() {
        ThroughputComparison.Table point = table(inference("quantized-8bit", "4047", ""), pbs("3.334", ""));
        assertEquals(List.of(), ThroughputComparison.compare(point, table(inference("quantized-8bit", "4000", "47"),
                pbs("3.334", ""))), "4000 + 47 reaches the point 4047");
        List<Regression> r = ThroughputComparison.compare(point, table(inference("quantized-8bit", "4046.9", ""),
                pbs("3.334", "")));
        assertEquals("4047", r.get(0).previous());
        assertEquals("4046.9", r.get(0).current());
        assertEquals("[4047, 4047]", r.get(0).allowed());
    }

    @Test
    void aMissingConfigurationRegressesAndANewOneIsOnlyListed() {
        List<Regression> r = ThroughputComparison.compare(COMMITTED, table(inference("quantized-8bit", "4047", "276.1"),
                inference("bnn", "3735", "379.2")));
        assertEquals(List.of(
                new Regression("throughput", new RowKey("", "cnn-small", "bnn", ""), Regression.Kind.NEW_ROW,
                        "inference/model img/s", "", "3735 ± 379.2", ""),
                new Regression("throughput", new RowKey("", "resnet20", "quantized-8bit", ""), Regression.Kind.MISSING_ROW,
                        "pbs_iteration/attack s/iteration", "3.334 ± 1.122", "", "")), r);
        assertEquals(1, r.stream().filter(Regression::regresses).count());
    }

    @Test
    void aChangedUnitOrAGarbledScoreIsAUserErrorNamingTheTable() {
        ThroughputComparison.Table ms = table(inference("quantized-8bit", "4047", "276.1"),
                "pbs_iteration,resnet20,quantized-8bit,attack,ms/iteration,3334,1122,5,jvm,d");
        assertThrows(BenchException.class, () -> ThroughputComparison.compare(COMMITTED, ms));
        BenchException e = assertThrows(BenchException.class, () -> table(inference("bnn", "fast", "1")));
        assertTrue(e.getMessage().contains("t.csv line 2") && e.getMessage().contains("fast"), e.getMessage());
    }
}
