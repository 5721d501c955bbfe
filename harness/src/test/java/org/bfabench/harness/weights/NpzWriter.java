package org.bfabench.harness.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bfabench.spi.WeightArray;

/** Test-side writer of float32 C-order .npz files, byte for byte what numpy.savez writes for them. */
public final class NpzWriter {
    private NpzWriter() {
    }

    public static void write(Path file, Map<String, WeightArray> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, WeightArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy("<f4", e.getValue().shape(), e.getValue().values()));
                zip.closeEntry();
            }
        }
    }

    /** An .npz of ready-made .npy entries (key → bytes), e.g. mixing dtypes. */
    public static void writeRaw(Path file, Map<String, byte[]> npys) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : npys.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** One .npy (format 1.0) of int8 values ({@code |i1}), as numpy writes {@code codes.astype(numpy.int8)}. */
    public static byte[] npyInt8(int[] shape, byte[] values) {
        byte[] header = header("|i1", shape);
        byte[] out = new byte[header.length + values.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(values, 0, out, header.length, values.length);
        return out;
    }

    /** Magic, version 1.0, header length and the padded header dict of an .npy. */
    public static byte[] header(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? shape[0] + "," : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /** One .npy (format 1.0) of float32 values with the given descr written verbatim in the header. */
    public static byte[] npy(String descr, int[] shape, float[] values) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? shape[0] + "," : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
