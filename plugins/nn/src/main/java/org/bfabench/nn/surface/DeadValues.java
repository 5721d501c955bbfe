package org.bfabench.nn.surface;

import org.bfabench.nn.tensor.FloatArrays;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;

/** The arrays of a program run's dead values, handed back for the run's next outputs. */
final class DeadValues {
    private DeadValues() {
    }

    /**
     * Gives the array of {@code dead}, a value the run wrote and no longer needs, to {@code pool}, unless a
     * value of the run or of its cache still holds the same array (a layer may return its input's array
     * under a new shape, e.g. flatten).
     */
    static void recycle(Object dead, Object[] values, Object[] cached, FloatArrays pool) {
        float[] array = data(dead);
        if (array == null || holds(values, array) || holds(cached, array)) {
            return;
        }
        pool.give(array);
    }

    private static boolean holds(Object[] values, float[] array) {
        for (Object v : values) {
            if (data(v) == array) {
                return true;
            }
        }
        return false;
    }

    private static float[] data(Object value) {
        if (value instanceof NhwcTensor t) {
            return t.data();
        }
        return value instanceof Tensor t ? t.data() : null;
    }
}
