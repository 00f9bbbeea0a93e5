package io.sfufleet.console.ui.fleet;

import io.sfufleet.console.alerts.Alert;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeMonitor;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.ui.UiExecutor;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The fleet table's state: one {@link NodeRow} per node, a text filter, fleet totals, and the
 * inventory and drain commands. {@link #refresh()} is called once per pulse and only reads the
 * monitors' latest statuses.
 */
public final class FleetViewModel {
    /** Samples shown in a row's sparkline: the last minute. */
    static final int SPARKLINE_SECONDS = 60;

    private final ConsoleCore core;
    private final UiExecutor executor;
    // the extractor makes a row's change an update of the list, so a table sorted by CPU or
    // participants re-sorts, and a filter on the state re-filters, as the figures move
    private final ObservableList<NodeRow> rows = FXCollections.observableArrayList(r -> new javafx.beans.Observable[] {
        r.healthProperty(), r.problemProperty(), r.versionProperty(), r.uptimeSecondsProperty(), r.cpuPercentProperty(),
        r.rssBytesProperty(), r.mbpsInProperty(), r.mbpsOutProperty(), r.packetsPerSecondProperty(), r.callsProperty(),
        r.participantsProperty(), r.alertsProperty()});
    private final FilteredList<NodeRow> visible = new FilteredList<>(rows);
    private final Map<String, NodeRow> byName = new HashMap<>();
    private final StringProperty filter = new SimpleStringProperty("");
    private final IntegerProperty nodes = new SimpleIntegerProperty();
    private final IntegerProperty nodesUp = new SimpleIntegerProperty();
    private final IntegerProperty nodesDown = new SimpleIntegerProperty();
    private final IntegerProperty calls = new SimpleIntegerProperty();
    private final IntegerProperty participants = new SimpleIntegerProperty();
    private final DoubleProperty mbpsIn = new SimpleDoubleProperty();
    private final DoubleProperty mbpsOut = new SimpleDoubleProperty();
    private final StringProperty status = new SimpleStringProperty("");

    public FleetViewModel(ConsoleCore core, UiExecutor executor) {
        this.core = core;
        this.executor = executor;
        filter.addListener((o, was, now) -> {
            String f = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            visible.setPredicate(f.isEmpty() ? null : r -> matches(r, f));
        });
    }

    private static boolean matches(NodeRow r, String f) {
        return r.getName().toLowerCase(Locale.ROOT).contains(f)
                || r.addressProperty().get().toLowerCase(Locale.ROOT).contains(f)
                || r.healthText().toLowerCase(Locale.ROOT).contains(f)
                || r.versionProperty().get().toLowerCase(Locale.ROOT).contains(f);
    }

    /** Applies the latest statuses to the rows and totals. */
    public void refresh() {
        List<NodeStatus> statuses = core.fleet().statuses();
        Map<String, Integer> alertCounts = new HashMap<>();
        for (Alert a : core.alerts().active()) {
            alertCounts.merge(a.node(), 1, Integer::sum);
        }
        long since = core.clock().millis() - SPARKLINE_SECONDS * 1000L;
        Set<String> seen = new HashSet<>();
        int up = 0;
        int down = 0;
        int c = 0;
        int p = 0;
        double in = 0;
        double out = 0;
        for (NodeStatus s : statuses) {
            seen.add(s.name());
            NodeRow row = byName.get(s.name());
            if (row == null) {
                row = new NodeRow(s.name());
                byName.put(s.name(), row);
                rows.add(row);
            }
            List<Sample> recent = core.fleet().monitor(s.name()).map(m -> m.samples().since(since)).orElse(List.of());
            row.apply(s, recent, alertCounts.getOrDefault(s.name(), 0));
            if (s.health().severity() == NodeHealth.Severity.DOWN) {
                down++;
            } else if (s.reachable()) {
                up++;
                if (s.info() != null) {
                    c += s.info().calls();
                    p += s.info().participants();
                    in += s.info().bytesInPerSecond() * 8 / 1e6;
                    out += s.info().bytesOutPerSecond() * 8 / 1e6;
                }
            }
        }
        if (seen.size() != byName.size()) {
            byName.keySet().retainAll(seen);
            rows.removeIf(r -> !seen.contains(r.getName()));
        }
        nodes.set(statuses.size());
        nodesUp.set(up);
        nodesDown.set(down);
        calls.set(c);
        participants.set(p);
        mbpsIn.set(in);
        mbpsOut.set(out);
    }

    // ------------------------------------------------------------ commands

    /** Adds a node to the inventory (the token is encrypted there) and starts watching it. */
    public void addNode(String name, String url, String token, Consumer<String> onError) {
        String n = name == null ? "" : name.strip();
        String u = url == null ? "" : url.strip();
        change("add node " + n, () -> core.inventoryActions().add(n, u, token), "added " + n, onError);
    }

    /** Changes a node's address and token (empty token: keep the stored one). */
    public void editNode(String name, String url, String token, Consumer<String> onError) {
        String u = url == null ? "" : url.strip();
        change("edit node " + name, () -> core.inventoryActions().update(name, u, token), "changed " + name, onError);
    }

    public void removeNode(String name, Consumer<String> onError) {
        change("remove node " + name, () -> {
            core.inventoryActions().remove(name);
            return null;
        }, "removed " + name, onError);
    }

    /** An inventory change in the background; then the monitors follow the inventory. */
    private void change(String what, java.util.concurrent.Callable<?> work, String done, Consumer<String> onError) {
        executor.submit(what, work, r -> {
            core.inventoryChanged();
            status.set(done);
        }, t -> onError.accept(io.sfufleet.console.ui.Dialogs.message(t)));
    }

    public void drain(String name, Duration deadline, String typed, String reason, Consumer<String> onDone,
                      Consumer<String> onError) {
        NodeMonitor m = core.fleet().monitor(name).orElse(null);
        if (m == null) {
            onError.accept("no node named " + name);
            return;
        }
        executor.submit("drain " + name, () -> core.actions().drain(name, m.client(), deadline, typed, reason),
                msg -> onDone.accept("drain " + name + ": ok" + (msg == null ? "" : " (" + msg + ")")),
                t -> onError.accept(io.sfufleet.console.ui.Dialogs.message(t)));
    }

    public void undrain(String name, Consumer<String> onDone, Consumer<String> onError) {
        NodeMonitor m = core.fleet().monitor(name).orElse(null);
        if (m == null) {
            onError.accept("no node named " + name);
            return;
        }
        executor.submit("undrain " + name, () -> core.actions().undrain(name, m.client()),
                msg -> onDone.accept("undrain " + name + ": ok" + (msg == null ? "" : " (" + msg + ")")),
                t -> onError.accept(io.sfufleet.console.ui.Dialogs.message(t)));
    }

    public ObservableList<NodeRow> rows() { return rows; }
    public FilteredList<NodeRow> visibleRows() { return visible; }
    public StringProperty filterProperty() { return filter; }
    public IntegerProperty nodesProperty() { return nodes; }
    public IntegerProperty nodesUpProperty() { return nodesUp; }
    public IntegerProperty nodesDownProperty() { return nodesDown; }
    public IntegerProperty callsProperty() { return calls; }
    public IntegerProperty participantsProperty() { return participants; }
    public DoubleProperty mbpsInProperty() { return mbpsIn; }
    public DoubleProperty mbpsOutProperty() { return mbpsOut; }
    public StringProperty statusProperty() { return status; }
}
