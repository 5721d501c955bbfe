package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetPlannerTest {
    private static Candidate c(String name, int minutes) {
        return new Candidate(name, Optional.of(Duration.ofMinutes(minutes)), "from run.json");
    }

    private static final List<Candidate> GRIDS = List.of(c("a", 30),
            new Candidate("b", Optional.empty(), "no b.run.json"), c("c", 50), c("d", 20), c("e", 11));

    private static List<String> running(List<BudgetPlanner.Decision> plan) {
        return plan.stream().filter(BudgetPlanner.Decision::run).map(d -> d.candidate().name()).toList();
    }

    @Test
    void greedilyRunsWhatFitsInOrderSkippingUnknownCostsAndStepsLargerThanWhatIsLeft() {
        List<BudgetPlanner.Decision> plan = BudgetPlanner.plan(GRIDS, Optional.of(Duration.ofHours(1)));
        assertEquals(List.of("a", "d"), running(plan), "a (30m) + d (20m) fit; c (50m) > 30m left; e (11m) > 10m left");
        assertTrue(plan.get(1).reason().contains("cost unknown") && plan.get(1).reason().contains("no b.run.json"),
                plan.get(1).reason());
        assertEquals("estimated 50m00s > 30m00s left of the time budget", plan.get(2).reason());
        assertEquals("estimated 11m00s > 10m00s left of the time budget", plan.get(4).reason());
    }

    @Test
    void anEstimateEqualToWhatIsLeftFits() {
        assertEquals(List.of("a", "d", "e"), running(BudgetPlanner.plan(GRIDS, Optional.of(Duration.ofMinutes(61)))));
    }

    @Test
    void withoutABudgetEveryStepRunsIncludingUnknownCosts() {
        assertEquals(List.of("a", "b", "c", "d", "e"), running(BudgetPlanner.plan(GRIDS, Optional.empty())));
    }

    @Test
    void durationsPrintAsPeopleReadThem() {
        assertEquals("45s", BudgetPlanner.human(Duration.ofSeconds(45)));
        assertEquals("8m12s", BudgetPlanner.human(Duration.ofSeconds(492)));
        assertEquals("2h05m", BudgetPlanner.human(Duration.ofMinutes(125).plusSeconds(59)));
    }
}
