package org.bfabench.harness.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.spi.FlipEvent;

/**
 * The per-flip trace of one attack run as gzip-compressed CSV, one row per committed flip:
 * {@code flip, iteration, layer, layer_name, index, bit, code_before, code_after, loss, accuracy}
 * ({@code flip} counts from 1; {@code accuracy} is 0..1 on the attack's evaluation images).
 *
 * <p>Numbers use {@link Double#toString} (shortest exact form, locale-independent) and the gzip header
 * carries no timestamp, so the same trace always gives the same bytes.
 */
public final class TraceCsv {
    public static final List<String> HEADER = List.of("flip", "iteration", "layer", "layer_name", "index", "bit",
            "code_before", "code_after", "loss", "accuracy");

    private TraceCsv() {
    }

    public static byte[] gzip(List<FlipEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            csv.printRecord(HEADER);
            int flip = 0;
            for (FlipEvent e : events) {
                flip++;
                csv.printRecord(flip, e.iteration(), e.layer(), e.layerName(), e.index(), e.bit(), e.codeBefore(),
                        e.codeAfter(), Double.toString(e.loss()), Double.toString(e.accuracy()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads the accuracy column back (index i = accuracy after i + 1 flips). */
    public static double[] accuracies(InputStream gzipped) throws IOException {
        List<Double> acc = new ArrayList<>();
        try (Reader r = new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                acc.add(Double.parseDouble(rec.get("accuracy")));
            }
        }
        return acc.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
