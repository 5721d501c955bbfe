package org.bfabench.nn.surface;

import java.util.List;
import org.bfabench.nn.layer.Add;
import org.bfabench.nn.layer.BatchNorm;
import org.bfabench.nn.layer.ConvBuffers;
import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.FusedConvolutions;

/**
 * The runs of a float-path program's steps that execute as one pass ({@link FusedConvolutions}): a
 * channels-last conv whose output only the next step, a batch norm, reads; and when that batch norm has no
 * activation of its own and only the step after it, a residual add, reads it, that add too (a ResNet
 * block's second half). A run fuses a chain only when it keeps none of the chain's intermediate values,
 * and a run that starts inside a chain (at a patched conv output) runs its steps one by one.
 */
final class ConvChains {
    private final List<FusedSteps.Step> steps;
    /** Per step: how many steps from it can run as one pass (1: none). */
    private final int[] longest;

    ConvChains(List<FusedSteps.Step> steps, LiveValues live) {
        this.steps = steps;
        this.longest = new int[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            longest[k] = 1;
            if (k + 1 < steps.size() && step(k) instanceof FusedSteps.ChannelsLast conv && conv.layer() instanceof Conv2d
                    && step(k + 1) instanceof FusedSteps.ChannelsLast bn && bn.layer() instanceof BatchNorm
                    && bn.inputs().length == 1 && bn.inputs()[0] == conv.out() && live.lastRead(conv.out()) == k + 1) {
                longest[k] = 2;
                if (k + 2 < steps.size() && bn.activation() == null && step(k + 2) instanceof FusedSteps.ChannelsLast add
                        && add.layer() instanceof Add && live.lastRead(bn.out()) == k + 2
                        && (add.inputs()[0] == bn.out()) != (add.inputs()[1] == bn.out())) {
                    longest[k] = 3;
                }
            }
        }
    }

    private FusedSteps.Step step(int k) {
        return steps.get(k);
    }

    /** How many steps from {@code k} a run keeping {@code keep} (null: every value) executes as one pass. */
    int span(int k, boolean[] keep) {
        if (keep == null || longest[k] == 1 || keep[step(k).out()]) {
            return 1;
        }
        return longest[k] == 3 && !keep[step(k + 1).out()] ? 3 : 2;
    }

    /** Runs steps {@code k} .. {@code k + span − 1} as one pass, writing only the last one's value. */
    void run(int k, int span, Object[] values, ConvBuffers buffers) {
        FusedSteps.ChannelsLast conv = (FusedSteps.ChannelsLast) step(k);
        FusedSteps.ChannelsLast bn = (FusedSteps.ChannelsLast) step(k + 1);
        Object in = values[conv.inputs()[0]];
        if (span == 2) {
            values[bn.out()] = FusedConvolutions.convBatchNorm((Conv2d) conv.layer(), (BatchNorm) bn.layer(),
                    bn.activation(), in, buffers);
            return;
        }
        FusedSteps.ChannelsLast add = (FusedSteps.ChannelsLast) step(k + 2);
        int other = add.inputs()[0] == bn.out() ? add.inputs()[1] : add.inputs()[0];
        values[add.out()] = FusedConvolutions.convBatchNormAdd((Conv2d) conv.layer(), (BatchNorm) bn.layer(),
                values[other], add.activation(), in, buffers);
    }
}
