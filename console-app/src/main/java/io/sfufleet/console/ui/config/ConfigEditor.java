package io.sfufleet.console.ui.config;

import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.TextColumns;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The Config editor window of one host: the key table (values editable, refused values marked with
 * the reason, changed keys highlighted), "Diff with host", and the pushes with their per-host rows.
 * Only builds controls and binds them to the {@link ConfigEditorViewModel}; every push asks first.
 */
public final class ConfigEditor extends Stage {
    private final ConfigEditorViewModel vm;
    private final TableView<KeyRow> table = new TableView<>();

    public ConfigEditor(Window owner, ConfigEditorViewModel vm) {
        this.vm = vm;
        initOwner(owner);
        setTitle("Config of " + vm.host());

        table.setId("config-table");
        table.setItems(vm.rows());
        table.setEditable(true);
        table.setPlaceholder(new Label("Reading the desired config…"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("Section", 70, r -> new ReadOnlyStringWrapper(r.section())));
        table.getColumns().add(text("Key", 150, r -> new ReadOnlyStringWrapper(r.name())));
        TableColumn<KeyRow, String> value = new TableColumn<>("Value");
        value.setId("config-value-column");
        value.setPrefWidth(200);
        value.setCellValueFactory(d -> d.getValue().valueProperty());
        value.setCellFactory(TextFieldTableCell.forTableColumn());
        value.setOnEditCommit(e -> {
            if (!vm.edit(e.getRowValue(), e.getNewValue())) {
                table.refresh();  // the cell shows the value the row kept
            }
        });
        table.getColumns().add(value);
        table.getColumns().add(text("Default", 110, r -> new ReadOnlyStringWrapper(r.defaultValue())));
        table.getColumns().add(text("Allowed", 150, r -> new ReadOnlyStringWrapper(r.allowed())));
        table.getColumns().add(text("Applies", 60, r -> new ReadOnlyStringWrapper(r.reload())));
        TableColumn<KeyRow, String> problem = text("Problem", 260, KeyRow::errorProperty);
        problem.setId("config-problem-column");
        table.getColumns().add(problem);
        table.setRowFactory(t -> new TableRow<>() {
            private final javafx.beans.value.ChangeListener<Boolean> mark = (o, was, now) -> style();

            @Override
            protected void updateItem(KeyRow item, boolean empty) {
                if (getItem() != null) {
                    getItem().changedProperty().removeListener(mark);
                }
                super.updateItem(item, empty);
                if (item != null && !empty) {
                    item.changedProperty().addListener(mark);
                    setTooltip(new Tooltip(item.key() + ": " + item.description()));
                } else {
                    setTooltip(null);
                }
                style();
            }

            private void style() {
                getStyleClass().remove("config-changed");
                if (getItem() != null && !isEmpty() && getItem().changedProperty().get()) {
                    getStyleClass().add("config-changed");
                }
            }
        });

        Button diff = new Button("Diff with host");
        diff.setId("config-diff");
        diff.setOnAction(e -> vm.diffWithHost());
        Button push = new Button("Push to " + vm.host() + "…");
        push.setId("config-push");
        push.setOnAction(e -> {
            if (Dialogs.confirm(this, "Push the config of " + vm.host(), "Write the desired config"
                    + (vm.hasEdits() ? " with your edits" : "") + " to " + vm.host() + "'s sfu.toml and reload the "
                    + "node, or restart it if a changed key needs that? A node that refuses it gets its previous "
                    + "file back.")) {
                vm.push(List.of(vm.host()));
            }
        });
        Button pushMany = new Button("Push to hosts…");
        pushMany.setId("config-push-many");
        pushMany.setOnAction(e -> pushToSelection());
        diff.disableProperty().bind(vm.busyProperty());
        push.disableProperty().bind(vm.busyProperty());
        pushMany.disableProperty().bind(vm.busyProperty());
        Label status = new Label();
        status.setId("config-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, diff, push, pushMany, gap);
        bar.setAlignment(Pos.CENTER_LEFT);

        ListView<String> diffList = new ListView<>(vm.diff());
        diffList.setId("config-diff-list");
        diffList.setPlaceholder(new Label("\"Diff with host\" lists the keys that differ (old -> new)."));
        TableView<PushRow> pushes = new TableView<>(vm.pushRows());
        pushes.setId("config-push-table");
        pushes.setPlaceholder(new Label("A push lists each host here with its stage and result."));
        pushes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        pushes.getColumns().add(TextColumns.of("Host", 90, r -> new ReadOnlyStringWrapper(r.host())));
        pushes.getColumns().add(TextColumns.of("Stage", 90, PushRow::stageProperty));
        pushes.getColumns().add(TextColumns.of("Result", 80, PushRow::resultProperty));
        pushes.getColumns().add(TextColumns.of("Details", 300, PushRow::messageProperty));
        SplitPane lower = new SplitPane(titled("Diff with host", diffList), titled("Push", pushes));
        lower.setDividerPositions(0.45);
        SplitPane split = new SplitPane(table, new VBox(8, bar, lower));
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        VBox.setVgrow(lower, Priority.ALWAYS);

        Label title = new Label("Desired config of " + vm.host() + ": double-click a value to edit it (Enter "
                + "takes it); edits are stored by a diff or a push.");
        BorderPane root = new BorderPane(split);
        root.setId("config-editor");
        root.setTop(new VBox(4, title, status));
        root.setPadding(new Insets(8));
        Scene scene = new Scene(root, 1180, 760);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        setScene(scene);
        vm.load();
    }

    public ConfigEditorViewModel viewModel() {
        return vm;
    }

    public TableView<KeyRow> table() {
        return table;
    }

    /** Chooses hosts (each gets its own desired config), asks, pushes. */
    private void pushToSelection() {
        ListView<String> choice = new ListView<>(vm.hostNames());
        choice.setId("config-push-hosts");
        choice.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        choice.getSelectionModel().select(vm.host());
        choice.setPrefHeight(220);
        Dialog<List<String>> d = new Dialog<>();
        d.initOwner(this);
        d.setTitle("Push to hosts");
        d.setHeaderText("Each chosen host gets its own desired config (edits here are " + vm.host() + "'s only).");
        d.getDialogPane().setContent(choice);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? List.copyOf(choice.getSelectionModel().getSelectedItems())
                : null);
        d.showAndWait().ifPresent(hosts -> {
            if (!hosts.isEmpty() && Dialogs.confirm(this, "Push configs", "Push the desired config to "
                    + String.join(", ", hosts) + " (at most " + ConfigEditorViewModel.PARALLEL + " at once)? Each "
                    + "node reloads, or restarts if a changed key needs that.")) {
                vm.push(hosts);
            }
        });
    }

    private static VBox titled(String title, javafx.scene.Node content) {
        VBox.setVgrow(content, Priority.ALWAYS);
        return new VBox(4, new Label(title), content);
    }

    /** Table text columns are not edited in place (only the Value column is); a Problem is styled as refused. */
    private static TableColumn<KeyRow, String> text(String title, double width,
            Function<KeyRow, ObservableValue<String>> value) {
        TableColumn<KeyRow, String> c = TextColumns.of(title, width, value,
                item -> "Problem".equals(title) ? "config-refused" : null);
        c.setEditable(false);
        return c;
    }
}
