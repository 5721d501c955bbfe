package org.bfabench.harness.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bfabench.spi.WeightArray;

/**
 * Parses one NumPy {@code .npy} array (format versions 1.0, 2.0 and 3.0, as specified in
 * {@code numpy/lib/format.py}): the magic {@code \x93NUMPY}, a little-endian header length, a Python
 * dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the raw data.
 *
 * <p>Written here rather than taken from ND4J because the harness must stay free of ND4J (it reaches
 * numerics only through plugins) and because importing needs float64 and int64 sources and Fortran
 * order, which a PyTorch {@code state_dict} export produces ({@code num_batches_tracked} is int64).
 * Supported dtypes: {@code f2} (IEEE half, as {@code model.half()} exports), {@code f4}, {@code f8},
 * {@code i1}, {@code i2}, {@code i4}, {@code i8}, {@code u1}, {@code b1}, either byte order. Values become
 * float32 (bfabench computes in float32); float16 converts exactly, as every half is a float.
 */
final class NpyParser {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Why an array could not be read; the caller adds the file and key. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean unsupportedDtype;

        Problem(String message, boolean unsupportedDtype) {
            super(message);
            this.unsupportedDtype = unsupportedDtype;
        }
    }

    private NpyParser() {
    }

    /** A parsed array and the dtype it was stored as ({@code descr}, e.g. {@code |i1}, {@code <f2}). */
    record Npy(WeightArray array, String descr) {
        boolean integral() {
            return descr.length() > 1 && (descr.charAt(1) == 'i' || descr.charAt(1) == 'u');
        }
    }

    static WeightArray parse(byte[] b) throws Problem {
        return parseNpy(b).array();
    }

    static Npy parseNpy(byte[] b) throws Problem {
        if (b.length < 10) {
            throw new Problem("truncated .npy (" + b.length + " bytes)", false);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                throw new Problem("not a .npy array (bad magic)", false);
            }
        }
        int major = b[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new Problem("truncated .npy header", false);
            }
            headerLen = bb.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new Problem(".npy format version " + major + " is not supported (1, 2 or 3)", false);
        }
        if (headerStart + headerLen > b.length) {
            throw new Problem("truncated .npy header", false);
        }
        String header = new String(b, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
        int[] shape = shape(group(SHAPE, header, "shape"));
        Dtype dtype = Dtype.of(descr);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int dataStart = headerStart + (int) headerLen;
        if (count > Integer.MAX_VALUE || b.length - dataStart < count * dtype.size) {
            throw new Problem("data is truncated: " + (b.length - dataStart) + " bytes for " + count + " values of "
                    + descr, false);
        }
        ByteBuffer data = ByteBuffer.wrap(b, dataStart, b.length - dataStart).slice().order(dtype.order);
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype.read(data, i);
        }
        return new Npy(new WeightArray(fortran ? toRowMajor(v, shape) : v, shape), descr);
    }

    private static String group(Pattern p, String header, String field) throws Problem {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new Problem(".npy header has no valid '" + field + "' (" + header.trim() + ")", false);
        }
        return m.group(1);
    }

    private static int[] shape(String s) throws Problem {
        List<Integer> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.trim().replace("L", "");
            if (!t.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(t));
                } catch (NumberFormatException e) {
                    throw new Problem(".npy shape (" + s + ") is not a tuple of integers", false);
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Fortran (column-major) order has the first index varying fastest; reorder so the last does. */
    static float[] toRowMajor(float[] colMajor, int[] shape) {
        float[] out = new float[colMajor.length];
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int f = 0; f < colMajor.length; f++) {
            int c = 0;
            for (int d = 0; d < rank; d++) {
                c = c * shape[d] + idx[d];
            }
            out[c] = colMajor[f];
            for (int d = 0; d < rank; d++) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    /**
     * IEEE 754 binary16 → binary32, exactly (Java 17 has no {@code Float.float16ToFloat}): a half has 5
     * exponent bits (bias 15) and 10 mantissa bits, a float 8 (bias 127) and 23, so a normal half only
     * rebiases its exponent and widens its mantissa; a subnormal half m·2^−24 is a normal float; infinities
     * and NaNs keep their sign and (shifted) payload.
     */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa · 2^-24, exact in float (at most 10 significant bits)
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
    }

    private enum Kind { FLOAT, INT, UINT, BOOL }

    private record Dtype(Kind kind, int size, ByteOrder order) {
        static Dtype of(String descr) throws Problem {
            if (descr.length() < 3) {
                throw unsupported(descr);
            }
            char endian = descr.charAt(0);
            ByteOrder order = endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            if (endian != '<' && endian != '>' && endian != '|' && endian != '=') {
                throw unsupported(descr);
            }
            String t = descr.substring(1);
            return switch (t) {
                case "f2" -> new Dtype(Kind.FLOAT, 2, order);
                case "f4" -> new Dtype(Kind.FLOAT, 4, order);
                case "f8" -> new Dtype(Kind.FLOAT, 8, order);
                case "i1" -> new Dtype(Kind.INT, 1, order);
                case "i2" -> new Dtype(Kind.INT, 2, order);
                case "i4" -> new Dtype(Kind.INT, 4, order);
                case "i8" -> new Dtype(Kind.INT, 8, order);
                case "u1" -> new Dtype(Kind.UINT, 1, order);
                case "b1" -> new Dtype(Kind.BOOL, 1, order);
                default -> throw unsupported(descr);
            };
        }

        private static Problem unsupported(String descr) {
            return new Problem("unsupported dtype '" + descr + "' (supported: float16/32/64, int8/16/32/64, uint8, bool)",
                    true);
        }

        float read(ByteBuffer d, int i) {
            int at = i * size;
            return switch (kind) {
                case FLOAT -> size == 2 ? halfToFloat(d.getShort(at)) : size == 4 ? d.getFloat(at) : (float) d.getDouble(at);
                case INT -> switch (size) {
                    case 1 -> d.get(at);
                    case 2 -> d.getShort(at);
                    case 4 -> d.getInt(at);
                    default -> d.getLong(at);
                };
                case UINT -> d.get(at) & 0xff;
                case BOOL -> d.get(at) != 0 ? 1f : 0f;
            };
        }
    }
}
