package org.bfabench.attacks.core;

import java.util.Locale;
import org.bfabench.spi.BenchException;

/**
 * Which labels the attack batch is scored against (option {@code labels}).
 *
 * <p>PBS (Rakin et al., ICCV 2019, §4) replaces the true labels by the clean model's own predictions so
 * that the attacker needs no labelled data; {@code true} keeps the dataset's labels for comparison.
 */
public enum LabelSource {
    /** The clean model's predictions (default: no label leakage). */
    PREDICTED,
    /** The dataset's labels. */
    TRUE;

    /** Parses {@code predicted} or {@code true}. */
    public static LabelSource parse(String attackId, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "predicted" -> PREDICTED;
            case "true" -> TRUE;
            default -> throw new BenchException("attack '" + attackId + "': option 'labels' must be 'predicted' or 'true', got '"
                    + value + "'");
        };
    }
}
