package org.bfabench.datasets;

import java.util.List;
import org.bfabench.datasets.cifar.Cifar10Provider;
import org.bfabench.datasets.idx.IdxDatasetProvider;
import org.bfabench.spi.BenchPlugin;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.SpiVersion;

/** The built-in datasets: {@code fashion-mnist}, {@code mnist} (IDX) and {@code cifar10} (binary version). */
public final class DatasetsPlugin implements BenchPlugin {
    private final List<DatasetProvider> datasets =
            List.of(IdxDatasetProvider.fashionMnist(), IdxDatasetProvider.mnist(), Cifar10Provider.standard());

    @Override
    public int spiVersion() {
        return SpiVersion.MAJOR;
    }

    @Override
    public List<DatasetProvider> datasets() {
        return datasets;
    }
}
