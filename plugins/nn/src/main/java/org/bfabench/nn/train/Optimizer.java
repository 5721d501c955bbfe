package org.bfabench.nn.train;

import java.util.Map;
import org.bfabench.nn.layer.Param;

/** Updates parameters in place from their gradients. */
public interface Optimizer {
    /** @param grads gradient per qualified parameter name (same keys as {@code params}); absent = no gradient */
    void step(Map<String, Param> params, Map<String, float[]> grads, double lr);
}
