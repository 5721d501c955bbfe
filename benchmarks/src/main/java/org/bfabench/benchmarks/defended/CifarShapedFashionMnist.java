package org.bfabench.benchmarks.defended;

import java.nio.FloatBuffer;
import java.util.List;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;

/**
 * Real Fashion-MNIST images framed as CIFAR-10-shaped 3×32×32 inputs (each 28×28 image centred with a
 * 2-pixel border of the image's corner value, copied into three channels), so the throughput benchmarks
 * run the paper's CIFAR-10 geometry on real pixels without requiring the CIFAR-10 files on the machine.
 * Speed depends on the shape, not on the pixels; the dataset hash says what the images really are.
 */
final class CifarShapedFashionMnist implements Dataset {
    static final Shape SHAPE = new Shape(3, 32, 32);

    private final Dataset source;
    private final ImageSplit train;
    private final ImageSplit test;

    CifarShapedFashionMnist(Dataset source, int trainImages, int testImages) {
        if (source.inputShape().channels() != 1 || source.inputShape().height() > 32 || source.inputShape().width() > 32) {
            throw new IllegalArgumentException("expected single-channel images of at most 32x32, got "
                    + source.inputShape());
        }
        this.source = source;
        this.train = frame(source.train(), trainImages);
        this.test = frame(source.test(), testImages);
    }

    private static ImageSplit frame(ImageSplit split, int limit) {
        int n = Math.min(limit, split.size());
        Shape in = split.shape();
        int top = (SHAPE.height() - in.height()) / 2;
        int left = (SHAPE.width() - in.width()) / 2;
        int plane = SHAPE.height() * SHAPE.width();
        float[] pixels = new float[n * SHAPE.size()];
        int[] labels = new int[n];
        FloatBuffer src = split.pixels();
        for (int i = 0; i < n; i++) {
            int base = i * in.size();
            float border = src.get(base);
            int dst = i * SHAPE.size();
            java.util.Arrays.fill(pixels, dst, dst + plane, border);
            for (int y = 0; y < in.height(); y++) {
                for (int x = 0; x < in.width(); x++) {
                    pixels[dst + (y + top) * SHAPE.width() + x + left] = src.get(base + y * in.width() + x);
                }
            }
            for (int c = 1; c < SHAPE.channels(); c++) {
                System.arraycopy(pixels, dst, pixels, dst + c * plane, plane);
            }
            labels[i] = split.label(i);
        }
        return new ImageSplit(SHAPE, pixels, labels);
    }

    @Override
    public String id() {
        return source.id() + "-3x32x32";
    }

    @Override
    public Shape inputShape() {
        return SHAPE;
    }

    @Override
    public int numClasses() {
        return source.numClasses();
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    @Override
    public ImageSplit train() {
        return train;
    }

    @Override
    public ImageSplit test() {
        return test;
    }

    @Override
    public String sha256() {
        return source.sha256();
    }

    @Override
    public String source() {
        return source.source() + " framed to 3x32x32";
    }
}
