package com.example.bfa;

import java.util.List;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Defense;
import org.bfabench.spi.SpiVersion;

/**
 * A third-party bfabench plugin written against bfabench-spi only: a plain-Java 8-bit MLP defense and a
 * greedy gradient bit-flip attack. The end-to-end tests compile it at test time and load it from a
 * plugins directory, exactly as a user's jar would be.
 */
public final class ExamplePlugin implements BenchPlugin {
    @Override
    public int spiVersion() {
        return SpiVersion.MAJOR;
    }

    @Override
    public List<Defense> defenses() {
        return List.of(new PlainInt8Defense());
    }

    @Override
    public List<Attack> attacks() {
        return List.of(new GreedySignAttack());
    }
}
