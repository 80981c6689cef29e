package org.sparsetuning.app.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sparsetuning.train.EpochMetrics;
import org.sparsetuning.train.MethodResult;

/** The run's charts as PNG files (XChart): training curves per epoch, and accuracy against GFLOPs per method. */
public final class Charts {
    private static final int W = 640;
    private static final int H = 420;

    static {
        Png.init();
    }

    private Charts() {
    }

    /** One method's point on the accuracy / cost plane. */
    public record MethodPoint(String method, double gflops, double top1) {
    }

    /** Loss (training, evaluation) and accuracy (training, evaluation top-1) per epoch, side by side. */
    public static void trainingCurves(String title, List<EpochMetrics> history, Path png) throws IOException {
        requireData(history.isEmpty(), "no epochs to draw");
        XYChart loss = chart(title + ": loss", "epoch", "cross-entropy");
        XYChart acc = chart(title + ": accuracy", "epoch", "accuracy (%)");
        // Accuracy rises and loss falls: each legend goes in the corner its lines leave free.
        acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        double[] x = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        line(loss, "training", x, history.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        line(acc, "training", x, history.stream().mapToDouble(m -> 100 * m.trainAccuracy()).toArray());
        if (history.stream().allMatch(EpochMetrics::evaluated)) {
            line(loss, "evaluation", x, history.stream().mapToDouble(EpochMetrics::evalLoss).toArray());
            line(acc, "evaluation top-1", x, history.stream().mapToDouble(m -> 100 * m.evalTop1()).toArray());
        }
        save(List.of(loss, acc), png);
    }

    /** Evaluation top-1 and training loss per epoch, one line per method. */
    public static void methodCurves(Map<String, List<EpochMetrics>> histories, Path png) throws IOException {
        requireData(histories.isEmpty(), "no methods to draw");
        XYChart acc = chart("validation top-1 per epoch", "epoch", "top-1 (%)");
        XYChart loss = chart("training loss per epoch", "epoch", "cross-entropy");
        // Many lines: the legends go beside the plots, where they hide none of them.
        acc.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        histories.forEach((method, h) -> {
            double[] x = h.stream().mapToDouble(EpochMetrics::epoch).toArray();
            if (h.stream().allMatch(EpochMetrics::evaluated)) {
                line(acc, method, x, h.stream().mapToDouble(m -> 100 * m.evalTop1()).toArray());
            }
            line(loss, method, x, h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        });
        save(List.of(acc, loss), png);
    }

    /** Test top-1 against GFLOPs per image, one labelled point per method (the paper's efficiency plot). */
    public static void accuracyVsGflops(String title, List<MethodPoint> points, Path png) throws IOException {
        requireData(points.isEmpty(), "no methods to draw");
        XYChart c = chart(title, "GFLOPs per image", "top-1 (%)");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(12);
        for (MethodPoint p : points) {
            XYSeries s = c.addSeries(p.method(), new double[] {p.gflops()}, new double[] {100 * p.top1()});
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        // Leave room around the points, so none sits on the frame.
        double minX = points.stream().mapToDouble(MethodPoint::gflops).min().orElse(0);
        double maxX = points.stream().mapToDouble(MethodPoint::gflops).max().orElse(1);
        double minY = points.stream().mapToDouble(p -> 100 * p.top1()).min().orElse(0);
        double maxY = points.stream().mapToDouble(p -> 100 * p.top1()).max().orElse(100);
        double padX = Math.max((maxX - minX) * 0.15, maxX * 0.05 + 1e-6);
        double padY = Math.max((maxY - minY) * 0.15, 1);
        c.getStyler().setXAxisMin(Math.max(0, minX - padX)).setXAxisMax(maxX + padX);
        c.getStyler().setYAxisMin(Math.max(0, minY - padY)).setYAxisMax(Math.min(100, maxY + padY));
        save(List.of(c), png);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y)
                .theme(Styler.ChartTheme.Matlab).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern("0.###");
        return c;
    }

    /**
     * The two charts of a method comparison in {@code dir}: curves.png (every method's validation top-1 and
     * training loss per epoch) and accuracy_vs_gflops.png.
     */
    public static void comparison(String title, List<MethodResult> rows, Path dir) throws IOException {
        Map<String, List<EpochMetrics>> histories = new LinkedHashMap<>();
        List<MethodPoint> points = new ArrayList<>();
        for (MethodResult r : rows) {
            histories.put(r.method(), r.history());
            points.add(new MethodPoint(r.method(), r.gflops(), r.top1()));
        }
        methodCurves(histories, dir.resolve("curves.png"));
        accuracyVsGflops(title, points, dir.resolve("accuracy_vs_gflops.png"));
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(x.length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }

    private static void save(List<XYChart> charts, Path png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), bytes, BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), bytes, BitmapEncoder.BitmapFormat.PNG);
        }
        Png.write(bytes.toByteArray(), png);
    }

    private static void requireData(boolean empty, String what) {
        if (empty) {
            throw new IllegalArgumentException("chart: " + what);
        }
    }
}
