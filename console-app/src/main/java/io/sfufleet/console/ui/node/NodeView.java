package io.sfufleet.console.ui.node;

import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.Formats;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** A node's screen; binds to its {@link NodeViewModel}. */
public final class NodeView extends BorderPane {
    private final TableView<CallRow> callTable = new TableView<>();
    private final NodeCharts charts = new NodeCharts();

    /**
     * @param openCall opens a call's screen
     * @param drain    asks for a deadline and drains this node
     * @param clock    the console's clock, for the charts' "minutes before now"
     */
    private final HBox toolbar;

    public NodeView(NodeViewModel vm, Consumer<String> openCall, Runnable drain, LongSupplier clock) {
        setId("node-view-" + vm.name());
        Label title = new Label(vm.name());
        title.getStyleClass().add("screen-title");
        Label health = new Label();
        health.setId("node-health");
        health.textProperty().bind(vm.healthProperty());
        Label summary = new Label();
        summary.setId("node-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);

        ChoiceBox<ChartRange> range = new ChoiceBox<>();
        range.setId("chart-range");
        range.getItems().setAll(ChartRange.values());
        range.valueProperty().bindBidirectional(vm.rangeProperty());

        Button drainButton = new Button("Drain…");
        drainButton.setId("node-drain");
        drainButton.setOnAction(e -> drain.run());
        Button undrain = new Button("Undrain");
        undrain.setId("node-undrain");
        undrain.setOnAction(e -> {
            if (Dialogs.confirm(getScene().getWindow(), "Undrain " + vm.name(), "Let " + vm.name() + " take joins again?")) {
                vm.undrain(ok -> Dialogs.info(getScene().getWindow(), "Undrain", ok),
                        err -> Dialogs.error(getScene().getWindow(), "Undrain failed", err));
            }
        });
        Button reload = new Button("Reload config");
        reload.setId("node-reload");
        reload.setOnAction(e -> {
            if (Dialogs.confirm(getScene().getWindow(), "Reload " + vm.name(),
                    "Make " + vm.name() + " reread its configuration file?")) {
                vm.reload(ok -> Dialogs.info(getScene().getWindow(), "Reload", ok),
                        err -> Dialogs.error(getScene().getWindow(), "Reload failed", err));
            }
        });
        Button png = Exports.pngButton("Export charts PNG…", charts, "Export the charts", vm.name() + "-charts.png");
        png.setId("export-charts-png");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        toolbar = new HBox(6, new Label("Charts:"), range, png, grow, drainButton, undrain, reload);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(4, new HBox(10, title, health), summary, toolbar);
        header.setPadding(new Insets(8));

        callTable.setId("node-calls");
        callTable.setPlaceholder(new Label("No calls on this node right now."));
        callTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<CallRow, String> id = new TableColumn<>("Call");
        id.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().callId()));
        TableColumn<CallRow, String> since = new TableColumn<>("Started");
        since.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.time(c.getValue().createdAtMillis())));
        TableColumn<CallRow, Integer> parts = new TableColumn<>("Participants");
        parts.setCellValueFactory(c -> c.getValue().participantsProperty().asObject());
        TableColumn<CallRow, Integer> tracks = new TableColumn<>("Tracks");
        tracks.setCellValueFactory(c -> c.getValue().tracksProperty().asObject());
        TableColumn<CallRow, Long> in = new TableColumn<>("In kb/s");
        in.setCellValueFactory(c -> c.getValue().kbpsInProperty().asObject());
        TableColumn<CallRow, Long> out = new TableColumn<>("Out kb/s");
        out.setCellValueFactory(c -> c.getValue().kbpsOutProperty().asObject());
        callTable.getColumns().setAll(java.util.List.of(id, since, parts, tracks, in, out));
        callTable.setItems(vm.calls());
        callTable.setRowFactory(t -> {
            TableRow<CallRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openCall.accept(row.getItem().callId());
                }
            });
            return row;
        });
        Button openCallButton = new Button("Open call");
        openCallButton.setId("open-call");
        openCallButton.disableProperty().bind(callTable.getSelectionModel().selectedItemProperty().isNull());
        openCallButton.setOnAction(e -> openCall.accept(callTable.getSelectionModel().getSelectedItem().callId()));
        Button endCall = new Button("End call…");
        endCall.setId("node-end-call");
        endCall.disableProperty().bind(callTable.getSelectionModel().selectedItemProperty().isNull());
        endCall.setOnAction(e -> {
            String call = callTable.getSelectionModel().getSelectedItem().callId();
            if (Dialogs.confirm(getScene().getWindow(), "End call " + call,
                    "End call " + call + " on " + vm.name() + "? Every participant is disconnected.")) {
                vm.endCall(call, ok -> Dialogs.info(getScene().getWindow(), "End call", ok),
                        err -> Dialogs.error(getScene().getWindow(), "End call failed", err));
            }
        });
        Button csv = Exports.csvButton(callTable, "Export the calls", vm.name() + "-calls.csv");
        HBox callBar = new HBox(6, new Label("Calls"), openCallButton, endCall, csv);
        callBar.setAlignment(Pos.CENTER_LEFT);
        callBar.setPadding(new Insets(4, 8, 4, 8));
        VBox callsBox = new VBox(callBar, callTable);
        VBox.setVgrow(callTable, Priority.ALWAYS);

        ScrollPane chartScroll = new ScrollPane(charts);
        chartScroll.setFitToWidth(true);
        chartScroll.setFitToHeight(true);
        SplitPane split = new SplitPane(chartScroll, callsBox);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.68);

        setTop(header);
        setCenter(split);
        vm.pointsProperty().addListener((o, was, now) -> charts.show(now, vm.rangeProperty().get(), clock.getAsLong()));
    }

    /** Adds a Logs button (the window offers it when a stored host of this name runs the node). */
    public void offerLogs(Runnable open) {
        Button logs = new Button("Logs");
        logs.setId("node-logs");
        logs.setOnAction(e -> open.run());
        toolbar.getChildren().add(logs);
    }

    public TableView<CallRow> callTable() {
        return callTable;
    }
}
