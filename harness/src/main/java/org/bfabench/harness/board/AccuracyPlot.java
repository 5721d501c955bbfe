package org.bfabench.harness.board;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.TraceCsv;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Accuracy vs flips, one panel per (dataset, model, attack), one curve per defense: the mean over seeds
 * (solid) between the per-seed minimum and maximum (thin dashed), on a logarithmic flip axis. A seed
 * that stopped early holds its final accuracy for the larger flip counts of its panel.
 */
final class AccuracyPlot {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccuracyPlot.class);
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 380;
    private static final int COLUMNS = 2;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private AccuracyPlot() {
    }

    static void write(List<CellRecord> records, ResultStore store, Path png) {
        Map<String, Map<String, List<double[]>>> panels = new TreeMap<>();
        for (CellRecord r : records) {
            if (r.status() != CellStatus.OK) {
                continue;
            }
            if (!java.nio.file.Files.isRegularFile(store.traceFile(r.key()))) {
                LOG.warn("cell {} has no trace; left out of the plot", r.key());
                continue;
            }
            double[] acc = curve(r, store);
            String panel = r.config().dataset().id() + " / " + r.config().model().id() + " / " + r.config().attack().id();
            panels.computeIfAbsent(panel, k -> new TreeMap<>())
                    .computeIfAbsent(r.config().defense().id(), k -> new ArrayList<>()).add(acc);
        }
        // one colour per defense across all panels, so a defense is recognisable everywhere
        List<String> defenses = panels.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        List<BufferedImage> images = new ArrayList<>();
        panels.forEach((title, curves) -> images.add(BitmapEncoder.getBufferedImage(chart(title, curves, defenses))));
        int cols = Math.max(1, Math.min(COLUMNS, images.size()));
        int rows = Math.max(1, (images.size() + cols - 1) / cols);
        BufferedImage all = new BufferedImage(cols * PANEL_W, rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % cols) * PANEL_W, (i / cols) * PANEL_H, null);
        }
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(all, "png", out));
    }

    /** Accuracy (percent) after 0, 1, 2, … flips of one cell; index 0 is the clean evaluation accuracy. */
    private static double[] curve(CellRecord r, ResultStore store) {
        double[] after;
        try (InputStream in = store.openTrace(r.key())) {
            after = TraceCsv.accuracies(in);
        } catch (IOException e) {
            throw new UncheckedIOException("trace of cell " + r.key() + ": " + e.getMessage(), e);
        }
        double[] c = new double[after.length + 1];
        c[0] = 100 * r.result().evalCleanAccuracy();
        for (int i = 0; i < after.length; i++) {
            c[i + 1] = 100 * after[i];
        }
        return c;
    }

    private static XYChart chart(String title, Map<String, List<double[]>> curves, List<String> defenses) {
        XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H).title(title)
                .xAxisTitle("committed bit flips").yAxisTitle("accuracy %").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(100.0).setLegendVisible(true);
        int longest = curves.values().stream().flatMap(List::stream).mapToInt(c -> c.length - 1).max().orElse(1);
        double[] xs = logSpaced(Math.max(1, longest));
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            double[] mean = new double[xs.length];
            double[] min = new double[xs.length];
            double[] max = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                int k = (int) xs[i];
                double sum = 0;
                min[i] = Double.MAX_VALUE;
                max[i] = -Double.MAX_VALUE;
                for (double[] c : e.getValue()) {
                    double v = c[Math.min(k, c.length - 1)];
                    sum += v;
                    min[i] = Math.min(min[i], v);
                    max[i] = Math.max(max[i], v);
                }
                mean[i] = sum / e.getValue().size();
            }
            Color color = PALETTE[defenses.indexOf(e.getKey()) % PALETTE.length];
            style(chart.addSeries(e.getKey(), xs, mean), color, new BasicStroke(2f), true);
            if (e.getValue().size() > 1) {
                BasicStroke dashed = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {4f, 3f}, 0f);
                style(chart.addSeries(e.getKey() + " min", xs, min), color, dashed, false);
                style(chart.addSeries(e.getKey() + " max", xs, max), color, dashed, false);
            }
        }
        return chart;
    }

    private static void style(XYSeries s, Color color, BasicStroke stroke, boolean legend) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(stroke);
        s.setShowInLegend(legend);
    }

    /** 1 … n, about 20 points per decade, always including n. */
    static double[] logSpaced(int n) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (int i = 0; ; i++) {
            int k = (int) Math.round(Math.pow(10, i / 20.0));
            if (k > n) {
                break;
            }
            ks.add(k);
        }
        ks.add(n);
        return ks.stream().mapToDouble(Integer::doubleValue).toArray();
    }
}
