package org.bfabench.harness.run;

import java.util.List;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;

/**
 * A dataset whose test split is cut to its first {@code testLimit} images (the grid's
 * {@code training.test_limit}); the training split is cut by the defense through
 * {@link org.bfabench.spi.TrainingBudget#trainLimit()}. The content hash stays that of the files read.
 */
final class LimitedDataset implements Dataset {
    private final Dataset base;
    private final ImageSplit test;

    private LimitedDataset(Dataset base, ImageSplit test) {
        this.base = base;
        this.test = test;
    }

    static Dataset of(Dataset base, int testLimit) {
        return testLimit <= 0 || testLimit >= base.test().size() ? base : new LimitedDataset(base, base.test().head(testLimit));
    }

    @Override
    public String id() {
        return base.id();
    }

    @Override
    public Shape inputShape() {
        return base.inputShape();
    }

    @Override
    public int numClasses() {
        return base.numClasses();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public ImageSplit train() {
        return base.train();
    }

    @Override
    public ImageSplit test() {
        return test;
    }

    @Override
    public String sha256() {
        return base.sha256();
    }

    @Override
    public String source() {
        return base.source();
    }
}
