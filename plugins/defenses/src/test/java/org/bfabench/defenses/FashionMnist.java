package org.bfabench.defenses;

import java.nio.file.Path;
import java.util.Optional;
import org.bfabench.datasets.DatasetsPlugin;
import org.bfabench.models.ModelsPlugin;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.Options;

/** The real Fashion-MNIST files installed on the machine, and the real architectures. */
final class FashionMnist {
    private FashionMnist() {
    }

    static Dataset load(Path cacheDir) {
        DatasetProvider p = new DatasetsPlugin().datasets().stream().filter(d -> d.id().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        return p.load(new DatasetContext(Optional.of(Path.of("/usr/share/datasets/fashion-mnist")), cacheDir, true,
                Options.empty()));
    }

    static ModelArchitecture architecture(String id) {
        return new ModelsPlugin().architectures().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }
}
