package org.bfabench.benchmarks.xnor;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A secondary JMH counter: output values (one fan-in-long dot product each) computed, so JMH reports
 * dot products per second next to layer forwards per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class DotProducts {

    /** Read by JMH through reflection; public by JMH's rules for counters. */
    public long dotProducts;

    @Setup(Level.Iteration)
    public void reset() {
        dotProducts = 0;
    }
}
