package org.bfabench.nn.weights;

import java.util.List;
import org.bfabench.nn.layer.Param;

/**
 * Binary weights of the complete BNN of RA-BNN (Rakin et al. 2021, §3; ALGORITHMS.md §2): sign(W) per
 * output channel c scaled by a learnable α_c initialised to mean|W_c| (or one scalar α for the
 * classifier). Backward: clipped straight-through estimator ∂L/∂W = ∂L/∂sign(W) · 1{|W| ≤ 1}.
 */
public final class ChannelSignWeights extends BinaryLatentWeights {
    private final float[] alpha;

    /** @param perChannel one α per output channel, else a single scalar α */
    public ChannelSignWeights(float[] init, int outChannels, boolean perChannel) {
        super(init, outChannels);
        int groups = perChannel ? outChannels : 1;
        this.alpha = new float[groups];
        int per = init.length / groups;
        for (int g = 0; g < groups; g++) {
            double s = 0;
            for (int i = g * per; i < (g + 1) * per; i++) {
                s += Math.abs(init[i]);
            }
            alpha[g] = (float) (s / per);
        }
    }

    @Override
    protected List<Param> extraParams() {
        return List.of(new Param("alpha", alpha, false));
    }

    @Override
    protected float[] trainingScale() {
        return alpha;
    }

    @Override
    public float[][] paramGradients(float[] gradBase, float[] gradScale) {
        float[] g = new float[gradBase.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.abs(latent[i]) <= 1f ? gradBase[i] : 0f;
        }
        return new float[][] {g, gradScale == null ? new float[alpha.length] : gradScale.clone()};
    }

    @Override
    public boolean learnableScale() {
        return true;
    }

    @Override
    public String kind() {
        return alpha.length == 1 ? "binary-scalar-scale" : "binary-channel-scale";
    }
}
