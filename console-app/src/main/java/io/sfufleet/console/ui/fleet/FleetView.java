package io.sfufleet.console.ui.fleet;

import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.Formats;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.css.PseudoClass;

/** The fleet table with its toolbar and totals; only builds controls and binds them to the {@link FleetViewModel}. */
public final class FleetView extends BorderPane {
    private static final PseudoClass OK = PseudoClass.getPseudoClass("health-ok");
    private static final PseudoClass WARN = PseudoClass.getPseudoClass("health-warn");
    private static final PseudoClass DOWN = PseudoClass.getPseudoClass("health-down");

    private final TableView<NodeRow> table = new TableView<>();

    /**
     * @param openNode   opens a node's screen
     * @param addNode    asks for a new node (dialog)
     * @param editNode   asks for a node's new address and token (dialog)
     * @param drainNode  asks for a deadline and drains
     */
    public FleetView(FleetViewModel vm, Consumer<String> openNode, Runnable addNode, Consumer<String> editNode,
                     Consumer<String> drainNode) {
        setId("fleet-view");
        table.setId("fleet-table");
        table.setPlaceholder(new Label("No nodes yet: add one with \"Add node\" (its admin API address and token)."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("Node", 120, r -> r.nameProperty()));
        table.getColumns().add(text("Address", 170, r -> r.addressProperty()));
        table.getColumns().add(text("Version", 100, r -> r.versionProperty()));
        TableColumn<NodeRow, String> health = new TableColumn<>("State");
        health.setPrefWidth(150);
        health.setCellValueFactory(c -> Bindings.createStringBinding(c.getValue()::healthText,
                c.getValue().healthProperty(), c.getValue().problemProperty()));
        health.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new Tooltip(item));
            }
        });
        table.getColumns().add(health);
        TableColumn<NodeRow, String> uptime = new TableColumn<>("Uptime");
        uptime.setPrefWidth(70);
        uptime.setCellValueFactory(c -> Bindings.createStringBinding(c.getValue()::uptimeText,
                c.getValue().uptimeSecondsProperty(), c.getValue().healthProperty()));
        uptime.setComparator((a, b) -> 0);
        table.getColumns().add(uptime);
        table.getColumns().add(number("CPU %", 60, r -> r.cpuPercentProperty().asObject(), Formats::one));
        table.getColumns().add(number("Memory", 75, r -> r.rssBytesProperty().asObject(), Formats::mib));
        table.getColumns().add(number("In Mb/s", 65, r -> r.mbpsInProperty().asObject(), Formats::mbps));
        table.getColumns().add(number("Out Mb/s", 70, r -> r.mbpsOutProperty().asObject(), Formats::mbps));
        table.getColumns().add(number("Packets/s", 75, r -> r.packetsPerSecondProperty().asObject(), String::valueOf));
        table.getColumns().add(number("Calls", 50, r -> r.callsProperty().asObject(), String::valueOf));
        table.getColumns().add(number("Participants", 85, r -> r.participantsProperty().asObject(), String::valueOf));
        table.getColumns().add(number("Alerts", 50, r -> r.alertsProperty().asObject(), String::valueOf));
        TableColumn<NodeRow, double[]> spark = new TableColumn<>("Last minute");
        spark.setPrefWidth(110);
        spark.setSortable(false);
        spark.setCellValueFactory(c -> c.getValue().sparklineProperty());
        spark.setCellFactory(col -> new TableCell<>() {
            private final Sparkline line = new Sparkline(100, 18);

            @Override
            protected void updateItem(double[] item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty) {
                    setGraphic(null);
                } else {
                    line.draw(item);
                    setGraphic(line);
                }
            }
        });
        table.getColumns().add(spark);

        table.setRowFactory(t -> {
            TableRow<NodeRow> row = new TableRow<>() {
                @Override
                protected void updateItem(NodeRow item, boolean empty) {
                    super.updateItem(item, empty);
                    NodeHealth.Severity s = empty || item == null ? null : item.getHealth().severity();
                    pseudoClassStateChanged(OK, s == NodeHealth.Severity.OK);
                    pseudoClassStateChanged(WARN, s == NodeHealth.Severity.WARN);
                    pseudoClassStateChanged(DOWN, s == NodeHealth.Severity.DOWN);
                }
            };
            // the health changes while the row shows the same item: re-colour on the property too,
            // with one listener per row moved from item to item (rows are reused as the table scrolls and sorts)
            javafx.beans.value.ChangeListener<NodeHealth> recolour = (h, a, b) -> pseudoClassStateChanged(row, b);
            row.itemProperty().addListener((o, was, now) -> {
                if (was != null) {
                    was.healthProperty().removeListener(recolour);
                }
                if (now != null) {
                    now.healthProperty().addListener(recolour);
                }
            });
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openNode.accept(row.getItem().getName());
                }
            });
            return row;
        });
        SortedList<NodeRow> sorted = new SortedList<>(vm.visibleRows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);

        TextField filter = new TextField();
        filter.setId("fleet-filter");
        filter.setPromptText("Filter: name, address, state, version");
        filter.setPrefColumnCount(24);
        vm.filterProperty().bindBidirectional(filter.textProperty());

        Button add = new Button("Add node…");
        add.setId("add-node");
        add.setOnAction(e -> addNode.run());
        Button open = selectionButton("Open", "open-node", openNode);
        Button edit = selectionButton("Edit…", "edit-node", editNode);
        Button remove = selectionButton("Remove", "remove-node", name -> {
            if (Dialogs.confirm(getScene().getWindow(), "Remove " + name,
                    "Remove node " + name + " from the inventory? The node itself keeps running.")) {
                vm.removeNode(name, err -> Dialogs.error(getScene().getWindow(), "Remove failed", err));
            }
        });
        Button drain = selectionButton("Drain…", "drain-node", drainNode);
        Button undrain = selectionButton("Undrain", "undrain-node", name -> {
            if (Dialogs.confirm(getScene().getWindow(), "Undrain " + name, "Let node " + name + " take joins again?")) {
                vm.undrain(name, ok -> Dialogs.info(getScene().getWindow(), "Undrain", ok),
                        err -> Dialogs.error(getScene().getWindow(), "Undrain failed", err));
            }
        });
        Button csv = Exports.csvButton(table, "Export the fleet table", "fleet.csv");
        csv.setId("export-fleet-csv");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox toolbar = new HBox(6, add, open, edit, remove, drain, undrain, grow, filter, csv);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(6));

        Label totals = new Label();
        totals.setId("fleet-totals");
        totals.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT,
                        "%d nodes: %d up, %d down  ·  %d calls  ·  %d participants  ·  in %.2f Mb/s  ·  out %.2f Mb/s",
                        vm.nodesProperty().get(), vm.nodesUpProperty().get(), vm.nodesDownProperty().get(),
                        vm.callsProperty().get(), vm.participantsProperty().get(), vm.mbpsInProperty().get(),
                        vm.mbpsOutProperty().get()),
                vm.nodesProperty(), vm.nodesUpProperty(), vm.nodesDownProperty(), vm.callsProperty(),
                vm.participantsProperty(), vm.mbpsInProperty(), vm.mbpsOutProperty()));
        totals.setPadding(new Insets(4, 8, 4, 8));
        totals.getStyleClass().add("totals");

        setTop(toolbar);
        setCenter(table);
        setBottom(totals);
    }

    private void pseudoClassStateChanged(TableRow<NodeRow> row, NodeHealth h) {
        NodeHealth.Severity s = h.severity();
        row.pseudoClassStateChanged(OK, s == NodeHealth.Severity.OK);
        row.pseudoClassStateChanged(WARN, s == NodeHealth.Severity.WARN);
        row.pseudoClassStateChanged(DOWN, s == NodeHealth.Severity.DOWN);
    }

    private Button selectionButton(String text, String id, Consumer<String> action) {
        Button b = new Button(text);
        b.setId(id);
        b.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        b.setOnAction(e -> {
            NodeRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) {
                action.accept(r.getName());
            }
        });
        return b;
    }

    public TableView<NodeRow> table() {
        return table;
    }

    private static TableColumn<NodeRow, String> text(String title, double width,
                                                     java.util.function.Function<NodeRow, javafx.beans.value.ObservableValue<String>> f) {
        TableColumn<NodeRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> f.apply(cd.getValue()));
        return c;
    }

    /** A numeric column: sorts by the number, shows it formatted, exports the number itself. */
    private static <N extends Number & Comparable<N>> TableColumn<NodeRow, N> number(
            String title, double width, java.util.function.Function<NodeRow, javafx.beans.value.ObservableValue<N>> f,
            java.util.function.Function<N, String> format) {
        TableColumn<NodeRow, N> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> f.apply(cd.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(N item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
                setAlignment(Pos.CENTER_RIGHT);
            }
        });
        return c;
    }
}
