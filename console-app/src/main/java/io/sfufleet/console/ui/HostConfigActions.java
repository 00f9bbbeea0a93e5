package io.sfufleet.console.ui;

import io.sfufleet.console.ui.config.ConfigEditor;
import io.sfufleet.console.ui.config.ConfigEditorViewModel;
import io.sfufleet.console.ui.config.DriftViewModel;
import io.sfufleet.console.ui.hosts.HostRow;
import io.sfufleet.console.ui.hosts.HostsView;
import io.sfufleet.console.ui.hosts.HostsViewModel;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;

/**
 * The Hosts screen's config actions: "Config…" (the editor), "Check drift" and a drifted host's diff.
 * Here, not in either screen's package, because it joins the two (screens do not depend on each other).
 */
public final class HostConfigActions {
    private final HostsView view;
    private final HostsViewModel hosts;
    private final UiExecutor executor;
    private final DriftViewModel drift;
    private ConfigEditor editor;
    /** The last verdict per host, put on the rows again when the table reloads (FX thread only). */
    private final java.util.Map<String, String> verdicts = new java.util.HashMap<>();

    private HostConfigActions(HostsView view, HostsViewModel hosts, UiExecutor executor) {
        this.view = view;
        this.hosts = hosts;
        this.executor = executor;
        this.drift = new DriftViewModel(hosts.provisioning(), executor);
    }

    /** Adds the buttons to the Hosts screen's toolbar. */
    public static HostConfigActions attach(HostsView view, HostsViewModel hosts, UiExecutor executor) {
        HostConfigActions a = new HostConfigActions(view, hosts, executor);
        view.addSelectedAction("Config…", "config-host", a::openEditor);
        view.addAction("Check drift", "check-drift", () -> a.checkDrift());
        view.addSelectedAction("Drift diff…", "drift-diff", a::showDrift);
        hosts.rows().addListener((javafx.collections.ListChangeListener<HostRow>) c -> {
            while (c.next()) {
                for (HostRow r : c.getAddedSubList()) {
                    r.configProperty().set(a.verdicts.getOrDefault(r.name(), ""));
                }
            }
        });
        // the drift check's summary where the screen's status is
        a.drift.statusProperty().addListener((o, was, now) -> hosts.statusProperty().set(now));
        return a;
    }

    private void checkDrift() {
        List<HostRow> rows = List.copyOf(hosts.rows());
        rows.forEach(r -> r.configProperty().set("checking…"));
        drift.check(rows.stream().map(HostRow::name).toList(), (host, verdict) -> {
            verdicts.put(host, verdict);
            // the rows shown now, which a reload may have replaced since the check began
            hosts.rows().stream().filter(r -> r.name().equals(host)).forEach(r -> r.configProperty().set(verdict));
        });
    }

    public ConfigEditor openEditor(HostRow row) {
        ConfigEditorViewModel vm = new ConfigEditorViewModel(hosts.provisioning(), executor, Platform::runLater,
                row.name());
        editor = new ConfigEditor(view.getScene().getWindow(), vm);
        editor.setOnHidden(e -> hosts.reload());
        editor.show();
        return editor;
    }

    private void showDrift(HostRow row) {
        List<String> lines = drift.details(row.name());
        Dialog<Void> d = new Dialog<>();
        d.initOwner(view.getScene().getWindow());
        d.setTitle("Drift of " + row.name());
        d.setHeaderText(lines.isEmpty() ? "Nothing to show: \"Check drift\" first, or the host is in sync."
                : "From the host's sfu.toml to what the console wrote (a push puts it back):");
        ListView<String> list = new ListView<>(javafx.collections.FXCollections.observableArrayList(lines));
        list.setId("drift-list");
        list.setPrefSize(720, 260);
        d.getDialogPane().setContent(new VBox(6, new Label(row.name() + ": " + row.configProperty().get()), list));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.setResizable(true);
        d.show();
    }

    /** The editor last opened (tests, screenshots); null before the first. */
    public ConfigEditor editor() {
        return editor;
    }

    public DriftViewModel drift() {
        return drift;
    }
}
