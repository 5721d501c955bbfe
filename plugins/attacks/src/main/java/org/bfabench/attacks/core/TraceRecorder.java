package org.bfabench.attacks.core;

import java.util.ArrayList;
import java.util.List;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.FlipEvent;
import org.bfabench.spi.StopReason;

/**
 * Commits flips on the surface and keeps the trace: one {@link FlipEvent} per flip with the codes the
 * surface reports before and after it. Checks that each flip changed exactly the named bit, because a
 * surface that does otherwise would silently corrupt every number downstream.
 */
public final class TraceRecorder {
    private final AttackSurface surface;
    private final List<AttackableLayer> layers;
    private final List<FlipEvent> events = new ArrayList<>();
    private final double cleanAccuracy;

    public TraceRecorder(AttackSurface surface, double cleanAccuracy) {
        this.surface = surface;
        this.layers = List.copyOf(surface.layers());
        this.cleanAccuracy = cleanAccuracy;
    }

    /** Flips committed so far. */
    public int flips() {
        return events.size();
    }

    /** Applies {@code flips} to the surface, telling {@code step} the code after each one. */
    public List<int[]> apply(List<BitFlip> flips, AttackStep step) {
        List<int[]> codes = new ArrayList<>(flips.size());
        for (BitFlip f : flips) {
            int before = surface.code(f.layer(), f.index());
            surface.flip(f);
            int after = surface.code(f.layer(), f.index());
            requireSingleBitChange(f, before, after);
            step.committed(f, after);
            codes.add(new int[] {before, after});
        }
        return codes;
    }

    /** Records the flips of one iteration, all with the loss and accuracy measured after it. */
    public void record(int iteration, List<BitFlip> flips, List<int[]> codes, double loss, double accuracy) {
        for (int k = 0; k < flips.size(); k++) {
            BitFlip f = flips.get(k);
            events.add(new FlipEvent(iteration, f.layer(), layers.get(f.layer()).name(), f.index(), f.bit(),
                    codes.get(k)[0], codes.get(k)[1], loss, accuracy));
        }
    }

    public AttackTrace finish(StopReason reason, String detail, double finalAccuracy, long nanos) {
        return new AttackTrace(cleanAccuracy, events, reason, detail, finalAccuracy, nanos);
    }

    private void requireSingleBitChange(BitFlip f, int before, int after) {
        AttackableLayer layer = layers.get(f.layer());
        boolean ok;
        if (layer.bits() == 1) {
            ok = (before == 1 || before == -1) && after == -before && f.bit() == 0;
        } else {
            int mask = (1 << layer.bits()) - 1;
            ok = ((before ^ after) & mask) == (1 << f.bit()) && fits(before, layer.bits()) && fits(after, layer.bits());
        }
        if (!ok) {
            throw new IllegalStateException("surface bug: flipping " + f + " of " + layer + " turned code " + before
                    + " into " + after + " (expected exactly that bit to change)");
        }
    }

    private static boolean fits(int code, int bits) {
        return code >= -(1 << (bits - 1)) && code < (1 << (bits - 1));
    }
}
