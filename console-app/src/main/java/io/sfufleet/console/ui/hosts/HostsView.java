package io.sfufleet.console.ui.hosts;

import io.sfufleet.console.ui.TextColumns;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The hosts table with its toolbar; only builds controls and binds them to the {@link HostsViewModel}. */
public final class HostsView extends BorderPane {
    private final TableView<HostRow> table = new TableView<>();
    private final HBox bar;

    /**
     * @param add       opens the add-host wizard
     * @param install   opens the wizard on the selected host (key check, preflight, install)
     * @param preflight shows the selected host's checklist
     * @param remove    asks, then forgets the selected host
     * @param ops       the day-two actions on the selected host: logs, support bundle, uninstall
     * @param rollout   opens the rolling upgrade of the installed nodes
     */
    public HostsView(HostsViewModel vm, Runnable add, Consumer<HostRow> install, Consumer<HostRow> preflight,
            Consumer<HostRow> remove, Ops ops, Runnable rollout) {
        setId("hosts-view");
        table.setId("hosts-table");
        table.setItems(vm.rows());
        table.setPlaceholder(new Label("No hosts yet: \"Add host…\" walks through connecting, the host key, "
                + "the preflight and the install."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("Host", 100, r -> new ReadOnlyStringWrapper(r.name())));
        table.getColumns().add(text("Address", 140, r -> new ReadOnlyStringWrapper(r.target())));
        table.getColumns().add(text("User", 60, r -> new ReadOnlyStringWrapper(r.user())));
        table.getColumns().add(text("Auth", 130, r -> new ReadOnlyStringWrapper(r.auth())));
        // the whole fingerprint, so it can be compared with ssh-keygen -lf on the host
        TableColumn<HostRow, String> key = text("Host key", 550, r -> new ReadOnlyStringWrapper(r.hostKey()));
        key.setMinWidth(530);
        table.getColumns().add(key);
        table.getColumns().add(text("Node", 90, HostRow::nodeProperty));
        table.getColumns().add(text("State", 130, HostRow::stateProperty));
        table.getColumns().add(text("Config", 120, HostRow::configProperty));

        Button addButton = new Button("Add host…");
        addButton.setId("add-host");
        addButton.setOnAction(e -> add.run());
        Button preflightButton = selected("Preflight…", "preflight-host", preflight);
        Button installButton = selected("Install / Reinstall…", "install-host", install);
        Button removeButton = selected("Remove…", "remove-host", remove);
        Button logsButton = selected("Logs", "logs-host", ops.logs());
        Button supportButton = selected("Support bundle…", "support-host", ops.support());
        Button uninstallButton = selected("Uninstall…", "uninstall-host", ops.uninstall());
        Button rolloutButton = new Button("Rolling upgrade…");
        rolloutButton.setId("rollout-hosts-open");
        rolloutButton.setOnAction(e -> rollout.run());
        Label status = new Label();
        status.setId("hosts-status");
        status.textProperty().bind(vm.statusProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        bar = new HBox(8, addButton, preflightButton, installButton, logsButton, supportButton,
                uninstallButton, removeButton, rolloutButton, gap, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        setTop(bar);
        setCenter(table);
    }

    /** What the day-two buttons do with the selected row. */
    public record Ops(Consumer<HostRow> logs, Consumer<HostRow> support, Consumer<HostRow> uninstall) {
    }

    public TableView<HostRow> table() {
        return table;
    }

    /** A toolbar button for the selected host, added before the status (other screens' packages add theirs). */
    public Button addSelectedAction(String text, String id, Consumer<HostRow> action) {
        Button b = selected(text, id, action);
        bar.getChildren().add(bar.getChildren().size() - 2, b);
        return b;
    }

    /** A toolbar button that needs no selection, added before the status. */
    public Button addAction(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        bar.getChildren().add(bar.getChildren().size() - 2, b);
        return b;
    }

    private Button selected(String text, String id, Consumer<HostRow> action) {
        Button b = new Button(text);
        b.setId(id);
        b.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        b.setOnAction(e -> action.accept(table.getSelectionModel().getSelectedItem()));
        return b;
    }

    /** A host not trusted yet and a drifted config stand out. */
    private static TableColumn<HostRow, String> text(String title, double width,
            Function<HostRow, ObservableValue<String>> value) {
        return TextColumns.of(title, width, value, item -> switch (item) {
            case "not trusted" -> "not-trusted";
            case "DRIFTED" -> "drifted";
            default -> null;
        });
    }
}
