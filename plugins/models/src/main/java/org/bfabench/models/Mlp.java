package org.bfabench.models;

import java.util.List;
import java.util.Set;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * {@code mlp}: a multi-layer perceptron for any input shape.
 *
 * <p>Layers: {@code flatten → [fc<i>: linear(hidden[i], no bias) → bn<i> → activation]* → fc:
 * classifier}. Hidden layers are named {@code fc0, fc1, …} and their batch norms {@code bn0, bn1, …};
 * the classifier is {@code fc}. Hidden linears have no bias because the batch norm right after them
 * has its own shift (a bias would be redundant and would sit outside the attack surface).
 *
 * <p>Options: {@code hidden} — list of hidden widths (default {@code [256]}), e.g. {@code [256, 128]}.
 */
public final class Mlp implements ModelArchitecture {
    static final String ID = "mlp";
    private static final List<Integer> DEFAULT_HIDDEN = List.of(256);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "multi-layer perceptron: flatten, hidden linear-BN-activation layers (option hidden, default [256]), classifier";
    }

    @Override
    public <T> void describe(NetworkBuilder<T> b, Shape input, int numClasses, Options options) {
        ArchitectureOptions.requireKnown(ID, options, Set.of("hidden"));
        ArchitectureOptions.requireClasses(ID, numClasses);
        List<Integer> hidden = ArchitectureOptions.positiveInts(ID, options, "hidden", DEFAULT_HIDDEN);
        T x = b.flatten(b.input());
        for (int i = 0; i < hidden.size(); i++) {
            x = b.linear("fc" + i, x, hidden.get(i), false);
            x = b.batchNorm("bn" + i, x);
            x = b.activation(x);
        }
        b.classifier("fc", x, numClasses);
    }
}
