package io.sfufleet.console.ui.node;

import io.sfufleet.console.monitor.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.VBox;
import javafx.scene.layout.Priority;

/** The three charts of a node; x is minutes before now (or hours for 24 h), so every range reads the same way. */
final class NodeCharts extends VBox {
    private final LineChart<Number, Number> cpu;
    private final LineChart<Number, Number> bandwidth;
    private final LineChart<Number, Number> packets;

    NodeCharts() {
        cpu = chart("CPU (% of one core)", "cpu-chart", "CPU %");
        bandwidth = chart("Bandwidth (Mb/s)", "bandwidth-chart", "in", "out");
        packets = chart("Packets per second", "packets-chart", "in", "out");
        getChildren().addAll(cpu, bandwidth, packets);
        for (var c : List.of(cpu, bandwidth, packets)) {
            VBox.setVgrow(c, Priority.ALWAYS);
        }
        setId("node-charts");
    }

    private static LineChart<Number, Number> chart(String title, String id, String... series) {
        NumberAxis x = new NumberAxis();
        x.setAutoRanging(false);
        x.setForceZeroInRange(false);
        LineChart<Number, Number> c = io.sfufleet.console.ui.Charts.line(title, id, x, series);
        c.setMinHeight(140);
        c.setPrefHeight(180);
        return c;
    }

    void show(List<Sample> points, ChartRange range, long nowMillis) {
        boolean hours = range == ChartRange.DAY;
        double unit = hours ? 3_600_000.0 : 60_000.0;
        double span = range.span().toMillis() / unit;
        String label = hours ? "hours before now" : "minutes before now";
        for (var c : List.of(cpu, bandwidth, packets)) {
            NumberAxis x = (NumberAxis) c.getXAxis();
            x.setLowerBound(-span);
            x.setUpperBound(0);
            x.setTickUnit(hours ? 2 : span / 10);
            x.setLabel(label);
        }
        set(cpu, 0, points, Sample::cpuPercent, nowMillis, unit);
        set(bandwidth, 0, points, Sample::mbpsIn, nowMillis, unit);
        set(bandwidth, 1, points, Sample::mbpsOut, nowMillis, unit);
        set(packets, 0, points, s -> s.packetsInPerSecond(), nowMillis, unit);
        set(packets, 1, points, s -> s.packetsOutPerSecond(), nowMillis, unit);
    }

    private static void set(LineChart<Number, Number> c, int series, List<Sample> points, ToDoubleFunction<Sample> f,
                            long now, double unit) {
        List<XYChart.Data<Number, Number>> data = new ArrayList<>(points.size());
        for (Sample s : points) {
            data.add(new XYChart.Data<>((s.atMillis() - now) / unit, f.applyAsDouble(s)));
        }
        c.getData().get(series).getData().setAll(data);
    }
}
