package org.bfabench.models;

import java.util.List;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.SpiVersion;

/**
 * The built-in network architectures: {@code mlp}, {@code cnn-small}, {@code vgg-small} and
 * {@code resnet20}. Each is described only through {@link org.bfabench.spi.NetworkBuilder}, so every
 * defense instantiates the same topology with its own layer kinds.
 */
public final class ModelsPlugin implements BenchPlugin {
    private final List<ModelArchitecture> architectures =
            List.of(new Mlp(), new CnnSmall(), new VggSmall(), new ResNet20());

    @Override
    public int spiVersion() {
        return SpiVersion.MAJOR;
    }

    @Override
    public List<ModelArchitecture> architectures() {
        return architectures;
    }
}
