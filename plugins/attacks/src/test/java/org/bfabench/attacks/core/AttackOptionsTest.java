package org.bfabench.attacks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bfabench.attacks.pbs.ProgressiveBitSearch;
import org.bfabench.attacks.random.RandomFlip;
import org.bfabench.attacks.toy.ToyWorld;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every option is validated before anything runs, with a one-line message naming the option. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackOptionsTest {
    private final ToyWorld world = new ToyWorld();

    private String failure(Attack attack, Map<String, ?> options) {
        return assertThrows(BenchException.class,
                () -> attack.run(world.context(world.eightBit.copy(), 1, 0.0, 1, options))).getMessage();
    }

    @Test
    void unknownKeysAreReportedWithTheKnownOnes() {
        String m = failure(new ProgressiveBitSearch(), Map.of("ktop", 5, "batchsize", 3));
        assertEquals("attack 'pbfa': unknown options batchsize, ktop; known options: batch_size, k_top, labels", m);
        String r = failure(new RandomFlip(), Map.of("k_top", 5));
        assertEquals("attack 'random-flip': unknown option k_top; known options: batch_size, labels, sampling", r);
    }

    @Test
    void badValuesNameTheOptionAndTheAllowedValues() {
        assertTrue(failure(new ProgressiveBitSearch(), Map.of("k_top", 0)).contains("'k_top' must be a positive integer or 'all'"));
        assertTrue(failure(new ProgressiveBitSearch(), Map.of("k_top", "ten")).contains("'k_top' must be a positive integer or 'all'"));
        assertTrue(failure(new ProgressiveBitSearch(), Map.of("labels", "gold")).contains("'labels' must be 'predicted' or 'true'"));
        assertTrue(failure(new RandomFlip(), Map.of("sampling", "uniform")).contains("'sampling' must be 'per-layer' or 'all-bits'"));
        assertTrue(failure(new RandomFlip(), Map.of("batch_size", 0)).contains("'batch_size' must be at least 1"));
        assertTrue(failure(new RandomFlip(), Map.of("batch_size", "many")).contains("option 'batch_size'"));
    }

    @Test
    void aBatchLargerThanThePoolIsRefused() {
        String m = failure(new ProgressiveBitSearch(), Map.of("batch_size", 5000));
        assertEquals("attack 'pbfa': option 'batch_size' is 5000 but the attack pool has only 2000 images;"
                + " lower batch_size", m);
    }

    @Test
    void kTopAcceptsIntegersAndAllInAnyCase() {
        for (Object k : new Object[] {3, "7", "all", "ALL"}) {
            assertEquals(1, new ProgressiveBitSearch().run(world.context(world.eightBit.copy(), 1, 0.0, 1,
                    Map.of("k_top", k))).flips(), "k_top " + k);
        }
    }
}
