package io.sfufleet.console.ui.alerts;

import io.sfufleet.console.alerts.Alert;
import io.sfufleet.console.alerts.AlertService;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.ui.UiExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Alerts as the screen shows them. The alert service reports changes on the console's timer
 * thread; they are only queued there and applied on the next pulse, when new ones are also handed
 * to {@code notifier} (the view shows them as notifications).
 */
public final class AlertsViewModel {
    private static final int HISTORY = 500;

    private final ConsoleCore core;
    private final UiExecutor executor;
    private final ConcurrentLinkedQueue<AlertService.Change> changes = new ConcurrentLinkedQueue<>();
    private final ObservableList<Alert> active = FXCollections.observableArrayList();
    private final ObservableList<Alert> history = FXCollections.observableArrayList();
    private final IntegerProperty activeCount = new SimpleIntegerProperty();
    private Consumer<List<Alert>> notifier = raised -> { };

    public AlertsViewModel(ConsoleCore core, UiExecutor executor) {
        this.core = core;
        this.executor = executor;
        core.alerts().addListener(changes::add);
        active.setAll(sorted(core.alerts().active()));
        activeCount.set(active.size());
        loadHistory();
    }

    public void setNotifier(Consumer<List<Alert>> notifier) {
        this.notifier = notifier;
    }

    /** Applies the changes queued since the last pulse. */
    public void refresh() {
        List<Alert> raised = new ArrayList<>();
        boolean any = false;
        for (AlertService.Change c; (c = changes.poll()) != null; ) {
            any = true;
            if (c.raised()) {
                raised.add(c.alert());
            }
        }
        if (!any) {
            return;
        }
        active.setAll(sorted(core.alerts().active()));
        activeCount.set(active.size());
        if (!raised.isEmpty()) {
            notifier.accept(raised);
        }
        loadHistory();
    }

    public void loadHistory() {
        executor.submit("alert history", () -> core.alerts().store().latest(HISTORY), history::setAll, t -> { });
    }

    private static List<Alert> sorted(List<Alert> alerts) {
        List<Alert> out = new ArrayList<>(alerts);
        out.sort(Comparator.comparing(Alert::severity).reversed().thenComparing(Alert::raisedAtMillis));
        return out;
    }

    public ObservableList<Alert> active() { return active; }
    public ObservableList<Alert> history() { return history; }
    public IntegerProperty activeCountProperty() { return activeCount; }
}
