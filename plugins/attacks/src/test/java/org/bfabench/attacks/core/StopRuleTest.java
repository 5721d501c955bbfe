package org.bfabench.attacks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bfabench.spi.StopReason;
import org.junit.jupiter.api.Test;

class StopRuleTest {

    @Test
    void reachingTheThresholdOnTheLastBudgetedFlipIsAnUncensoredSuccess() {
        StopRule rule = new StopRule(0.11, 10);
        assertEquals(StopReason.THRESHOLD_REACHED, rule.check(0.11, 10).orElseThrow().reason());
        assertEquals(StopReason.BUDGET_EXHAUSTED, rule.check(0.1100001, 10).orElseThrow().reason());
        assertTrue(rule.check(0.5, 9).isEmpty());
        assertEquals(StopReason.BUDGET_EXHAUSTED, new StopRule(0.11, 0).check(0.9, 0).orElseThrow().reason());
    }
}
