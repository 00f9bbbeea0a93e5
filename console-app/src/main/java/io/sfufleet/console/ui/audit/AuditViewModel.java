package io.sfufleet.console.ui.audit;

import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.UiExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The newest audit entries, newest first; reloaded in the background on request and every few pulses. */
public final class AuditViewModel {
    private static final int LIMIT = 1000;
    private static final int PULSES_BETWEEN_RELOADS = 5;

    private final ConsoleCore core;
    private final UiExecutor executor;
    private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private int pulses;
    private boolean loading;

    public AuditViewModel(ConsoleCore core, UiExecutor executor) {
        this.core = core;
        this.executor = executor;
    }

    public void refresh() {
        if (pulses++ % PULSES_BETWEEN_RELOADS == 0) {
            reload();
        }
    }

    public void reload() {
        if (loading) {
            return;
        }
        loading = true;
        executor.submit("audit", () -> {
            List<AuditEntry> l = new ArrayList<>(core.audit().latest(LIMIT));
            Collections.reverse(l);
            return l;
        }, l -> {
            loading = false;
            if (!l.equals(entries)) {
                entries.setAll(l);
            }
            status.set(l.size() + " entries");
        }, t -> {
            loading = false;
            status.set("cannot read the audit trail: " + Dialogs.message(t));
        });
    }

    public ObservableList<AuditEntry> entries() { return entries; }
    public StringProperty statusProperty() { return status; }
}
