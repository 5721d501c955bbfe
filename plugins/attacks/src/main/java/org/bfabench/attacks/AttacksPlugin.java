package org.bfabench.attacks;

import java.util.List;
import org.bfabench.attacks.pbs.ProgressiveBitSearch;
import org.bfabench.attacks.random.RandomFlip;
import org.bfabench.spi.Attack;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.SpiVersion;

/** The bundled bit-flip attacks: {@code pbfa} (Progressive Bit Search) and {@code random-flip}. */
public final class AttacksPlugin implements BenchPlugin {
    private final List<Attack> attacks = List.of(new ProgressiveBitSearch(), new RandomFlip());

    @Override
    public int spiVersion() {
        return SpiVersion.MAJOR;
    }

    @Override
    public List<Attack> attacks() {
        return attacks;
    }
}
