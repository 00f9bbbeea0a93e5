package io.sfufleet.console.ui.fleet;

import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.ui.Formats;
import io.sfufleet.model.api.NodeInfo;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One node's row: properties the table binds to, updated in place once per pulse. */
public final class NodeRow {
    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty address = new SimpleStringProperty();
    private final StringProperty version = new SimpleStringProperty("");
    private final ObjectProperty<NodeHealth> health = new SimpleObjectProperty<>(NodeHealth.CONNECTING);
    private final StringProperty state = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final LongProperty uptimeSeconds = new SimpleLongProperty();
    private final DoubleProperty cpuPercent = new SimpleDoubleProperty();
    private final LongProperty rssBytes = new SimpleLongProperty();
    private final DoubleProperty mbpsIn = new SimpleDoubleProperty();
    private final DoubleProperty mbpsOut = new SimpleDoubleProperty();
    private final LongProperty packetsPerSecond = new SimpleLongProperty();
    private final IntegerProperty calls = new SimpleIntegerProperty();
    private final IntegerProperty participants = new SimpleIntegerProperty();
    private final IntegerProperty alerts = new SimpleIntegerProperty();
    private final ObjectProperty<double[]> sparkline = new SimpleObjectProperty<>(new double[0]);
    private long sequence = -1;

    NodeRow(String name) {
        this.name.set(name);
    }

    /** Applies a status; returns false when nothing changed since the last one. */
    boolean apply(NodeStatus s, List<Sample> recent, int alertCount) {
        alerts.set(alertCount);
        if (s.sequence() == sequence) {
            return false;
        }
        sequence = s.sequence();
        address.set(s.apiUrl());
        health.set(s.health());
        problem.set(s.problem() == null ? "" : s.problem());
        NodeInfo i = s.info();
        if (i != null) {
            version.set(i.version() == null ? "" : i.version());
            state.set(i.state().name());
            uptimeSeconds.set(i.uptimeSeconds());
            cpuPercent.set(i.cpuPercent());
            rssBytes.set(i.rssBytes() == null ? 0 : i.rssBytes());
            mbpsIn.set(i.bytesInPerSecond() * 8 / 1e6);
            mbpsOut.set(i.bytesOutPerSecond() * 8 / 1e6);
            packetsPerSecond.set(i.packetsInPerSecond() + i.packetsOutPerSecond());
            calls.set(i.calls());
            participants.set(i.participants());
        }
        double[] line = new double[recent.size()];
        for (int k = 0; k < line.length; k++) {
            line[k] = recent.get(k).mbpsIn() + recent.get(k).mbpsOut();
        }
        sparkline.set(line);
        return true;
    }

    /** What the health column shows: the health, and the node's reason when it is not up. */
    public String healthText() {
        NodeHealth h = health.get();
        String p = problem.get();
        return h == NodeHealth.UP || p == null || p.isEmpty() ? h.name() : h.name() + ": " + p;
    }

    public String uptimeText() {
        return health.get() == NodeHealth.CONNECTING ? "" : Formats.uptime(uptimeSeconds.get());
    }

    public StringProperty nameProperty() { return name; }
    public StringProperty addressProperty() { return address; }
    public StringProperty versionProperty() { return version; }
    public ObjectProperty<NodeHealth> healthProperty() { return health; }
    public StringProperty stateProperty() { return state; }
    public StringProperty problemProperty() { return problem; }
    public LongProperty uptimeSecondsProperty() { return uptimeSeconds; }
    public DoubleProperty cpuPercentProperty() { return cpuPercent; }
    public LongProperty rssBytesProperty() { return rssBytes; }
    public DoubleProperty mbpsInProperty() { return mbpsIn; }
    public DoubleProperty mbpsOutProperty() { return mbpsOut; }
    public LongProperty packetsPerSecondProperty() { return packetsPerSecond; }
    public IntegerProperty callsProperty() { return calls; }
    public IntegerProperty participantsProperty() { return participants; }
    public IntegerProperty alertsProperty() { return alerts; }
    public ObjectProperty<double[]> sparklineProperty() { return sparkline; }

    public String getName() { return name.get(); }
    public NodeHealth getHealth() { return health.get(); }
    public int getParticipants() { return participants.get(); }
    public int getCalls() { return calls.get(); }
}
