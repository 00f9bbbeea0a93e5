package io.sfufleet.console.ui.call;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.node.NodeApiException;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.ParticipantDetail;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One call's screen. While it is open it asks the node for the call once per pulse (one request in
 * flight at most), keeps each participant's quality for the last five minutes, and offers mute,
 * kick and end call.
 */
public final class CallViewModel {
    /** Quality points kept per participant: five minutes at one a second. */
    static final int QUALITY_POINTS = 300;

    /** A point of a participant's quality chart. */
    public record QualityPoint(long atMillis, long kbpsUp, long kbpsDown, double lossPercent, double jitterMillis) {
    }

    private final ConsoleCore core;
    private final UiExecutor executor;
    private final String node;
    private final String callId;
    private final ObservableList<ParticipantRow> participants = FXCollections.observableArrayList();
    private final Map<String, ParticipantRow> byId = new HashMap<>();
    private final Map<String, ParticipantDetail> details = new HashMap<>();
    private final Map<String, Deque<QualityPoint>> quality = new HashMap<>();
    private final ObservableList<TrackRow> tracks = FXCollections.observableArrayList();
    private final ObjectProperty<ParticipantRow> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<List<QualityPoint>> selectedQuality = new SimpleObjectProperty<>(List.of());
    private final StringProperty status = new SimpleStringProperty("loading");
    private boolean inFlight;
    private boolean everListed;

    public CallViewModel(ConsoleCore core, UiExecutor executor, String node, String callId) {
        this.core = core;
        this.executor = executor;
        this.node = node;
        this.callId = callId;
        selected.addListener((o, was, now) -> showSelected());
    }

    /** Called once per pulse. */
    public void refresh() {
        if (inFlight) {
            return;
        }
        NodeClient c = client();
        if (c == null) {
            status.set("node " + node + " is no longer in the inventory");
            return;
        }
        inFlight = true;
        executor.submit("call " + callId, () -> c.call(callId), detail -> {
            inFlight = false;
            apply(detail, core.clock().millis());
        }, t -> {
            inFlight = false;
            if (t instanceof NodeApiException e && e.error().status() == 404) {
                // the node's API answers from a snapshot taken once a second: a call that has just
                // started may not be in it yet, so polling goes on, and a call that comes back shows again
                status.set(everListed ? "the call has ended" : "the node does not list this call (yet)");
                participants.clear();
                byId.clear();
                tracks.clear();
            } else {
                status.set("cannot read the call: " + Dialogs.message(t));
            }
        });
    }

    void apply(CallDetail d, long now) {
        everListed = true;
        Set<String> seen = new HashSet<>();
        for (ParticipantDetail p : d.participants()) {
            seen.add(p.participantId());
            ParticipantRow row = byId.get(p.participantId());
            if (row == null) {
                row = new ParticipantRow(p.participantId());
                byId.put(p.participantId(), row);
                participants.add(row);
            }
            details.put(p.participantId(), p);
            ParticipantRow.Quality q = row.apply(p);
            Deque<QualityPoint> ring = quality.computeIfAbsent(p.participantId(), k -> new ArrayDeque<>());
            ring.addLast(new QualityPoint(now, q.kbpsUp(), q.kbpsDown(), q.lossPercent(), q.jitterMillis()));
            while (ring.size() > QUALITY_POINTS) {
                ring.removeFirst();
            }
        }
        if (seen.size() != byId.size()) {
            byId.keySet().retainAll(seen);
            details.keySet().retainAll(seen);
            quality.keySet().retainAll(seen);
            participants.removeIf(r -> !seen.contains(r.id()));
            if (selected.get() != null && !seen.contains(selected.get().id())) {
                selected.set(null);
            }
        }
        status.set(d.participants().size() + " participants");
        showSelected();
    }

    private void showSelected() {
        ParticipantRow r = selected.get();
        if (r == null) {
            tracks.clear();
            selectedQuality.set(List.of());
            return;
        }
        ParticipantDetail p = details.get(r.id());
        List<TrackRow> rows = new ArrayList<>();
        if (p != null) {
            p.published().forEach(t -> rows.add(TrackRow.sent(t)));
            p.received().forEach(t -> rows.add(TrackRow.received(t)));
        }
        tracks.setAll(rows);
        selectedQuality.set(List.copyOf(quality.getOrDefault(r.id(), new ArrayDeque<>())));
    }

    public void mute(ParticipantRow p, MuteKind kind, Consumer<String> onDone, Consumer<String> onError) {
        NodeClient c = client();
        if (c == null) {
            onError.accept("node " + node + " is no longer in the inventory");
            return;
        }
        executor.submit("mute " + p.id(), () -> core.actions().mute(node, c, callId, p.id(), kind),
                msg -> onDone.accept(label(p) + " muted (" + kind + ")"), t -> onError.accept(Dialogs.message(t)));
    }

    public void kick(ParticipantRow p, Consumer<String> onDone, Consumer<String> onError) {
        NodeClient c = client();
        if (c == null) {
            onError.accept("node " + node + " is no longer in the inventory");
            return;
        }
        executor.submit("kick " + p.id(), () -> core.actions().kick(node, c, callId, p.id(), "removed from the console"),
                msg -> onDone.accept(label(p) + " removed from the call"), t -> onError.accept(Dialogs.message(t)));
    }

    public void endCall(Consumer<String> onDone, Consumer<String> onError) {
        NodeClient c = client();
        if (c == null) {
            onError.accept("node " + node + " is no longer in the inventory");
            return;
        }
        executor.submit("end call " + callId, () -> core.actions().endCall(node, c, callId, "ended from the console"),
                msg -> onDone.accept("call " + callId + " ended"), t -> onError.accept(Dialogs.message(t)));
    }

    static String label(ParticipantRow p) {
        String n = p.nameProperty().get();
        return n == null || n.isEmpty() ? p.id() : n + " (" + p.id() + ")";
    }

    private NodeClient client() {
        return core.fleet().monitor(node).map(m -> m.client()).orElse(null);
    }

    public String node() { return node; }
    public String callId() { return callId; }
    public ObservableList<ParticipantRow> participants() { return participants; }
    public ObservableList<TrackRow> tracks() { return tracks; }
    public ObjectProperty<ParticipantRow> selectedProperty() { return selected; }
    public ObjectProperty<List<QualityPoint>> selectedQualityProperty() { return selectedQuality; }
    public StringProperty statusProperty() { return status; }
}
