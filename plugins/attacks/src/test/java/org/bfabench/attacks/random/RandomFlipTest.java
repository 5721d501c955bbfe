package org.bfabench.attacks.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bfabench.attacks.toy.RecordingSurface;
import org.bfabench.attacks.toy.ToyMlpSurface;
import org.bfabench.attacks.toy.ToyWorld;
import org.bfabench.attacks.toy.TraceReplay;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.FlipEvent;
import org.bfabench.spi.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomFlipTest {
    private final ToyWorld world = new ToyWorld();
    private final RandomFlip random = new RandomFlip();

    @Test
    void aSpentBudgetGivesACensoredTraceOfOneFlipPerIteration() {
        AttackTrace t = random.run(world.context(world.eightBit.copy(), 25, 0.0, 1, Map.of()));
        assertEquals(StopReason.BUDGET_EXHAUSTED, t.stopReason());
        assertTrue(t.censored());
        assertEquals(25, t.flips());
        for (int k = 0; k < 25; k++) {
            assertEquals(k + 1, t.events().get(k).iteration());
        }
    }

    @Test
    void theTraceMatchesAReplayWithTheAttackBatchLossAfterEachFlip() {
        for (ToyMlpSurface model : new ToyMlpSurface[] {world.eightBit, world.binary}) {
            for (String sampling : new String[] {"per-layer", "all-bits"}) {
                ToyMlpSurface attacked = model.copy();
                RecordingSurface recorded = new RecordingSurface(attacked);
                AttackTrace t = random.run(world.context(recorded, 40, 0.11, 2, Map.of("sampling", sampling)));
                assertEquals(0, recorded.openEvaluators);
                assertEquals(0, recorded.gradients.size(), "random flips never ask for gradients");
                TraceReplay.verify(model, attacked, t, recorded.evaluatorBatches.get(recorded.evaluatorBatches.size() - 1),
                        world.evaluation);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameFlipsAndAnotherSeedOthers() {
        AttackTrace a = random.run(world.context(world.eightBit.copy(), 30, 0.0, 3, Map.of()));
        AttackTrace b = random.run(world.context(world.eightBit.copy(), 30, 0.0, 3, Map.of()));
        AttackTrace c = random.run(world.context(world.eightBit.copy(), 30, 0.0, 4, Map.of()));
        assertEquals(a.events(), b.events());
        assertNotEquals(a.events().stream().map(FlipEvent::index).toList(),
                c.events().stream().map(FlipEvent::index).toList());
    }

    @Test
    void randomFlipsNeedNoGradients() {
        assertFalse(random.needsGradients());
        RecordingSurface s = new RecordingSurface(world.binary.copy());
        s.gradientsAvailable = false;
        assertEquals(10, random.run(world.context(s, 10, 0.0, 5, Map.of())).flips());
    }
}
