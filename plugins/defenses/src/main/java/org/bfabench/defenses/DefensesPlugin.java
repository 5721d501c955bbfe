package org.bfabench.defenses;

import java.util.List;
import org.bfabench.defenses.binary.BinaryWeightsDefense;
import org.bfabench.defenses.bnn.BnnDefense;
import org.bfabench.defenses.quantized.QuantizedDefense;
import org.bfabench.defenses.rabnn.RaBnnDefense;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.Defense;
import org.bfabench.spi.SpiVersion;

/** The built-in defenses: quantized-8bit, quantized-4bit, binary-weights, bnn, ra-bnn. */
public final class DefensesPlugin implements BenchPlugin {
    private final List<Defense> defenses = List.of(new QuantizedDefense(8), new QuantizedDefense(4),
            new BinaryWeightsDefense(), new BnnDefense(), new RaBnnDefense());

    @Override
    public int spiVersion() {
        return SpiVersion.MAJOR;
    }

    @Override
    public List<Defense> defenses() {
        return defenses;
    }
}
