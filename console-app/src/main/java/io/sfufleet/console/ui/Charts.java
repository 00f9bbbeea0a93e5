package io.sfufleet.console.ui;

import javafx.geometry.Side;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;

/** The console's live line charts: no animation or symbols (they redraw every second), the legend beside them. */
public final class Charts {
    private Charts() {
    }

    public static LineChart<Number, Number> line(String title, String id, NumberAxis x, String... series) {
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(true);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setTitle(title);
        c.setId(id);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        // on the right, so the short charts keep it: which line is "in" and which "out" matters
        c.setLegendSide(Side.RIGHT);
        for (String s : series) {
            XYChart.Series<Number, Number> xs = new XYChart.Series<>();
            xs.setName(s);
            c.getData().add(xs);
        }
        return c;
    }
}
