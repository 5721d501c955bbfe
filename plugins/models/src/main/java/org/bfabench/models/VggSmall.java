package org.bfabench.models;

import java.util.Set;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * {@code vgg-small}: the VGG-small of the BNN literature, as in RA-BNN's CIFAR-10 experiments (six 3×3
 * convs of base widths 128-128-256-256-512-512), described as three blocks of
 * {@code (conv-BN-act, conv-BN-act, 2×2 max-pool)}, then {@code flatten → fc}.
 *
 * <p>Names: {@code conv0 … conv5} with batch norms {@code bn0 … bn5}; classifier {@code fc}. All convs
 * are 3×3, stride 1, padding 1, no bias; each is free-standing ({@code widthGroup} = own name). Spatial
 * size: 28 → 14 → 7 → 3 (Fashion-MNIST) or 32 → 16 → 8 → 4 (CIFAR-10).
 *
 * <p>Options: {@code width_factor}, default 0.25 (widths 32-32-64-64-128-128), chosen so that training
 * on Fashion-MNIST takes minutes on a 2-core CPU; use {@code width_factor: 1} for the paper's widths.
 */
public final class VggSmall implements ModelArchitecture {
    static final String ID = "vgg-small";
    static final double DEFAULT_WIDTH_FACTOR = 0.25;
    private static final int[] BASE_WIDTHS = {128, 128, 256, 256, 512, 512};

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
        return "VGG-small: 3 x (conv-BN-act, conv-BN-act, maxpool2), widths 128-128-256-256-512-512 x width_factor"
                + " (default 0.25), flatten, classifier";
    }

    @Override
    public <T> void describe(NetworkBuilder<T> b, Shape input, int numClasses, Options options) {
        ArchitectureOptions.requireKnown(ID, options, Set.of("width_factor"));
        ArchitectureOptions.requireClasses(ID, numClasses);
        double factor = ArchitectureOptions.positive(ID, options, "width_factor", DEFAULT_WIDTH_FACTOR);
        ArchitectureOptions.requireMinSize(ID, input, BASE_WIDTHS.length / 2);
        T x = b.input();
        for (int i = 0; i < BASE_WIDTHS.length; i++) {
            String name = "conv" + i;
            x = b.conv(name, x, new ConvSpec(ArchitectureOptions.scaled(BASE_WIDTHS[i], factor), 3, 1, 1, name));
            x = b.batchNorm("bn" + i, x);
            x = b.activation(x);
            if (i % 2 == 1) {
                x = b.maxPool(x, 2, 2);
            }
        }
        b.classifier("fc", b.flatten(x), numClasses);
    }
}
