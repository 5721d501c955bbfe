package org.bfabench.harness.run;

import java.util.List;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;

/**
 * A loaded dataset with every accessor read once, under the provider's class loader, so later uses
 * never call back into plugin code; its test split is cut to the grid's {@code training.test_limit}
 * (the training split is cut by the defense through {@link org.bfabench.spi.TrainingBudget#trainLimit()}).
 * The content hash stays that of the files read.
 */
record DatasetSnapshot(String id, Shape inputShape, int numClasses, List<String> classNames, ImageSplit train,
        ImageSplit test, String sha256, String source) implements Dataset {

    DatasetSnapshot {
        classNames = List.copyOf(classNames);
    }

    static DatasetSnapshot of(LoadedComponent<DatasetProvider> provider, Dataset d, int testLimit) {
        return provider.call(() -> {
            ImageSplit test = d.test();
            if (testLimit > 0 && testLimit < test.size()) {
                test = test.head(testLimit);
            }
            return new DatasetSnapshot(d.id(), d.inputShape(), d.numClasses(), d.classNames(), d.train(), test,
                    d.sha256(), d.source());
        });
    }
}
