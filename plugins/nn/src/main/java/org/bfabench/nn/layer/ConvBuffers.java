package org.bfabench.nn.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bfabench.nn.tensor.FloatArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reusable arrays of a channels-last evaluation, kept between calls by one owner (a fused program):
 * the off-heap input and output arrays of its convolutions, reused by shape (allocating two fresh native
 * arrays cost about 1 ms of a 4.5 ms stage-1 convolution of resnet20 at batch 128, and a bit-search tail
 * runs eighteen of them), and the {@link #heap() heap arrays} its dead values hand back. At most
 * {@code maxBytes} of native arrays stay idle (the longest-idle are closed first), so off-heap memory
 * stays bounded; the heap arrays have a bound of their own.
 * Thread-safe: an array is handed to one caller at a time.
 */
public final class ConvBuffers implements AutoCloseable {
    private final long maxBytes;
    private final List<INDArray> idle = new ArrayList<>();
    private final FloatArrays heap;
    private long idleBytes;
    private boolean closed;

    public ConvBuffers(long maxBytes) {
        this(maxBytes, maxBytes);
    }

    /** Buffers keeping at most {@code maxBytes} of idle native arrays and {@code heapBytes} of idle heap arrays. */
    public ConvBuffers(long maxBytes, long heapBytes) {
        this.maxBytes = maxBytes;
        this.heap = new FloatArrays(heapBytes);
    }

    /** Heap arrays for the values of the evaluation (outputs of every channels-last layer). */
    public FloatArrays heap() {
        return heap;
    }

    /** An uninitialized float array of {@code shape}: an idle one of that shape, else a new one. */
    synchronized INDArray take(long... shape) {
        for (int i = 0; i < idle.size(); i++) {
            INDArray a = idle.get(i);
            if (Arrays.equals(a.shape(), shape)) {
                idle.remove(i);
                idleBytes -= bytes(a);
                return a;
            }
        }
        return Nd4j.createUninitialized(DataType.FLOAT, shape);
    }

    /**
     * Gives {@code a} back for the next {@link #take}; past the bound the longest-idle arrays are closed, so
     * the arrays of the shapes in use now stay (a new batch size does not leave the bound filled with
     * shapes nobody asks for). An array larger than the bound is closed at once.
     */
    synchronized void release(INDArray a) {
        if (closed || bytes(a) > maxBytes) {
            a.close();
            return;
        }
        idle.add(a);
        idleBytes += bytes(a);
        while (idleBytes > maxBytes) {
            INDArray oldest = idle.remove(0);
            idleBytes -= bytes(oldest);
            oldest.close();
        }
    }

    /** Bytes of the arrays kept idle (for tests). */
    public synchronized long idleBytes() {
        return idleBytes;
    }

    private static long bytes(INDArray a) {
        return 4 * a.length();
    }

    /** Closes the idle arrays (arrays in use are closed when released) and drops the idle heap arrays. */
    @Override
    public synchronized void close() {
        closed = true;
        heap.clear();
        idle.forEach(INDArray::close);
        idle.clear();
        idleBytes = 0;
    }
}
