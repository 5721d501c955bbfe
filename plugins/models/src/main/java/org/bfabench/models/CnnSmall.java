package org.bfabench.models;

import java.util.Set;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * {@code cnn-small}: a three-stage convolutional network sized for 28×28 images (works from 8×8 up).
 *
 * <p>Each stage {@code i = 0, 1, 2} is {@code conv<i>} (3×3, stride 1, padding 1, no bias, widths
 * 16-32-64 × {@code width_factor}) → {@code bn<i>} → activation → 2×2 max-pool (stride 2). On 28×28 the
 * spatial size goes 28 → 14 → 7 → 3. Then {@code flatten → fc} (classifier, 64·3·3 = 576 inputs).
 *
 * <p>Flatten rather than global average pooling: at 3×3 the final feature map still carries where on
 * the garment or digit a feature fired, which global pooling would throw away, and the classifier
 * stays small (5,770 parameters for 10 classes). Every conv is free-standing, so its
 * {@code widthGroup} is its own name.
 *
 * <p>Options: {@code width_factor} (default 1.0).
 */
public final class CnnSmall implements ModelArchitecture {
    static final String ID = "cnn-small";
    private static final int[] BASE_WIDTHS = {16, 32, 64};

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
        return "3 x (conv3x3-BN-act-maxpool2), widths 16-32-64 x width_factor, flatten, classifier";
    }

    @Override
    public <T> void describe(NetworkBuilder<T> b, Shape input, int numClasses, Options options) {
        ArchitectureOptions.requireKnown(ID, options, Set.of("width_factor"));
        ArchitectureOptions.requireClasses(ID, numClasses);
        double factor = ArchitectureOptions.positive(ID, options, "width_factor", 1.0);
        ArchitectureOptions.requireMinSize(ID, input, BASE_WIDTHS.length);
        T x = b.input();
        for (int i = 0; i < BASE_WIDTHS.length; i++) {
            String name = "conv" + i;
            x = b.conv(name, x, new ConvSpec(ArchitectureOptions.scaled(BASE_WIDTHS[i], factor), 3, 1, 1, name));
            x = b.batchNorm("bn" + i, x);
            x = b.activation(x);
            x = b.maxPool(x, 2, 2);
        }
        b.classifier("fc", b.flatten(x), numClasses);
    }
}
