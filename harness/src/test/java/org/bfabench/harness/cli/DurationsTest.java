package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsUnitSuffixesAndTheirSums() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("--x", "90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("--x", "1h30m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("--x", "500ms"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("--x", "PT10M"));
    }

    @Test
    void rejectsGarbageTrailingTextAndZero() {
        assertThrows(BenchException.class, () -> Durations.parse("--x", "soon"));
        assertThrows(BenchException.class, () -> Durations.parse("--x", "10m later"));
        assertThrows(BenchException.class, () -> Durations.parse("--x", "0s"));
        assertThrows(BenchException.class, () -> Durations.parse("--x", "5"));
    }
}
