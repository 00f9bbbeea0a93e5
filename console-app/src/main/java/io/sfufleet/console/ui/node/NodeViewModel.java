package io.sfufleet.console.ui.node;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.NodeMonitor;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Formats;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.NodeInfo;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One node's screen: its header figures, chart points for the chosen range and its calls. The live
 * range reads the monitor's in-memory ring each pulse; the 1 h and 24 h ranges are read from the
 * history database in the background, again every 30 s.
 */
public final class NodeViewModel {
    private static final long HISTORY_RELOAD_MILLIS = 30_000;

    private final ConsoleCore core;
    private final UiExecutor executor;
    private final String name;
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty health = new SimpleStringProperty("");
    private final ObjectProperty<ChartRange> range = new SimpleObjectProperty<>(ChartRange.LIVE_5_MIN);
    private final ObjectProperty<List<Sample>> points = new SimpleObjectProperty<>(List.of());
    private final ObservableList<CallRow> calls = FXCollections.observableArrayList();
    private final java.util.Map<String, CallRow> callsById = new java.util.HashMap<>();
    private long historyLoadedAt;
    private boolean historyLoading;
    private long lastSequence = -1;

    public NodeViewModel(ConsoleCore core, UiExecutor executor, String name) {
        this.core = core;
        this.executor = executor;
        this.name = name;
        range.addListener((o, was, now) -> {
            historyLoadedAt = 0;
            refresh();
        });
    }

    public void refresh() {
        NodeMonitor m = core.fleet().monitor(name).orElse(null);
        if (m == null) {
            health.set("removed from the inventory");
            return;
        }
        NodeStatus s = m.status();
        health.set(s.health().name() + (s.problem() == null ? "" : ": " + s.problem()));
        if (s.sequence() != lastSequence) {
            lastSequence = s.sequence();
            NodeInfo i = s.info();
            if (i != null) {
                summary.set(String.format(java.util.Locale.ROOT,
                        "version %s  ·  state %s  ·  up %s  ·  media %s:%d  ·  %d CPUs  ·  CPU %.1f %%  ·  RSS %s"
                                + "  ·  %d calls, %d participants, %d tracks",
                        i.version(), i.state(), Formats.uptime(i.uptimeSeconds()),
                        i.advertisedAddress() == null ? "?" : i.advertisedAddress(), i.mediaPort(),
                        i.availableProcessors(), i.cpuPercent(), Formats.mib(i.rssBytes() == null ? 0 : i.rssBytes()),
                        i.calls(), i.participants(), i.tracks()));
            }
            applyCalls(s.calls());
        }
        long now = core.clock().millis();
        ChartRange r = range.get();
        if (r.live()) {
            points.set(m.samples().since(now - r.span().toMillis()));
        } else if (!historyLoading && now - historyLoadedAt >= HISTORY_RELOAD_MILLIS) {
            historyLoading = true;
            executor.submit("history of " + name, () -> {
                core.history().flush();
                return core.history().range(name, now - r.span().toMillis(), now + 1, r.bucket());
            }, list -> {
                historyLoading = false;
                historyLoadedAt = now;
                if (range.get() == r) {
                    points.set(list);
                }
            }, t -> {
                historyLoading = false;
                historyLoadedAt = now;
                health.set("history unavailable: " + Dialogs.message(t));
            });
        }
    }

    private void applyCalls(List<CallSummary> latest) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (CallSummary c : latest) {
            seen.add(c.callId());
            CallRow row = callsById.get(c.callId());
            if (row == null) {
                row = new CallRow(c);
                callsById.put(c.callId(), row);
                calls.add(row);
            } else {
                row.apply(c);
            }
        }
        if (seen.size() != callsById.size()) {
            callsById.keySet().retainAll(seen);
            calls.removeIf(r -> !seen.contains(r.callId()));
        }
    }

    public void drain(java.time.Duration deadline, String typed, String reason, Consumer<String> onDone,
                      Consumer<String> onError) {
        withClient(onError, c -> executor.submit("drain " + name,
                () -> core.actions().drain(name, c, deadline, typed, reason),
                msg -> onDone.accept("drain " + name + ": ok" + (msg == null ? "" : " (" + msg + ")")),
                t -> onError.accept(Dialogs.message(t))));
    }

    public void undrain(Consumer<String> onDone, Consumer<String> onError) {
        withClient(onError, c -> executor.submit("undrain " + name, () -> core.actions().undrain(name, c),
                msg -> onDone.accept("undrain " + name + ": ok"), t -> onError.accept(Dialogs.message(t))));
    }

    public void reload(Consumer<String> onDone, Consumer<String> onError) {
        withClient(onError, c -> executor.submit("reload " + name, () -> core.actions().reload(name, c),
                msg -> onDone.accept("reload " + name + ": " + msg), t -> onError.accept(Dialogs.message(t))));
    }

    public void endCall(String callId, Consumer<String> onDone, Consumer<String> onError) {
        withClient(onError, c -> executor.submit("end call " + callId,
                () -> core.actions().endCall(name, c, callId, "ended from the console"),
                msg -> onDone.accept("call " + callId + " ended"), t -> onError.accept(Dialogs.message(t))));
    }

    private void withClient(Consumer<String> onError, Consumer<io.sfufleet.console.node.NodeClient> body) {
        core.fleet().monitor(name).ifPresentOrElse(m -> body.accept(m.client()),
                () -> onError.accept("no node named " + name));
    }

    public String name() { return name; }
    public StringProperty summaryProperty() { return summary; }
    public StringProperty healthProperty() { return health; }
    public ObjectProperty<ChartRange> rangeProperty() { return range; }
    public ObjectProperty<List<Sample>> pointsProperty() { return points; }
    public ObservableList<CallRow> calls() { return calls; }
}
