package org.bfabench.datasets;

import java.util.List;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;

/** An immutable loaded dataset as the providers of this plugin return it. */
public record LoadedDataset(String id, Shape inputShape, List<String> classNames, ImageSplit train, ImageSplit test,
        String sha256, String source) implements Dataset {
    public LoadedDataset {
        classNames = List.copyOf(classNames);
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    /** Equal when identity, digest and every pixel and label are equal (ImageSplit has identity equality). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LoadedDataset d && id.equals(d.id) && inputShape.equals(d.inputShape)
                && classNames.equals(d.classNames) && sha256.equals(d.sha256) && source.equals(d.source)
                && sameSplit(train, d.train) && sameSplit(test, d.test);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, sha256, train.size(), test.size());
    }

    private static boolean sameSplit(ImageSplit a, ImageSplit b) {
        return a.shape().equals(b.shape()) && java.util.Arrays.equals(a.labels(), b.labels())
                && a.pixels().equals(b.pixels());
    }
}
