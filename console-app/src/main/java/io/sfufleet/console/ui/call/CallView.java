package io.sfufleet.console.ui.call;

import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.model.api.MuteKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** A call's screen; binds to its {@link CallViewModel}. */
public final class CallView extends BorderPane {
    private final TableView<ParticipantRow> people = new TableView<>();
    private final TableView<TrackRow> trackTable = new TableView<>();
    private final LineChart<Number, Number> bitrateChart;
    private final LineChart<Number, Number> lossChart;

    public CallView(CallViewModel vm, LongSupplier clock) {
        setId("call-view-" + vm.callId());
        Label title = new Label("Call " + vm.callId() + " on " + vm.node());
        title.getStyleClass().add("screen-title");
        Label status = new Label();
        status.setId("call-status");
        status.textProperty().bind(vm.statusProperty());

        people.setId("call-participants");
        people.setPlaceholder(new Label("No participants."));
        people.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        people.getColumns().add(col("Name", 110, r -> r.nameProperty()));
        people.getColumns().add(col("Id", 90, r -> new ReadOnlyStringWrapper(r.id())));
        people.getColumns().add(col("Client address", 140, r -> r.addressProperty()));
        people.getColumns().add(col("Candidate", 75, r -> r.candidateProperty()));
        people.getColumns().add(col("Connection", 200, r -> r.connectionProperty()));
        people.getColumns().add(col("Tracks", 130, r -> r.tracksProperty()));
        people.getColumns().add(col("Up kb/s", 65, r -> r.kbpsUpProperty().asObject()));
        people.getColumns().add(col("Down kb/s", 70, r -> r.kbpsDownProperty().asObject()));
        people.getColumns().add(col("Loss %", 60, r -> r.lossPercentProperty().asString("%.1f")));
        people.getColumns().add(col("Jitter ms", 65, r -> r.jitterMillisProperty().asString("%.1f")));
        people.getColumns().add(col("RTT ms", 60, r -> r.rttProperty()));
        // what the node thinks the participant's downlink takes (its simulcast layer choice follows it)
        people.getColumns().add(col("Est. kb/s", 70, r -> r.estimateProperty()));
        people.setItems(vm.participants());
        people.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> vm.selectedProperty().set(now));
        vm.selectedProperty().addListener((o, was, now) -> {
            if (people.getSelectionModel().getSelectedItem() != now) {
                people.getSelectionModel().select(now);
            }
        });

        trackTable.setId("participant-tracks");
        trackTable.setPlaceholder(new Label("Select a participant to see its tracks."));
        trackTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        List<TableColumn<TrackRow, ?>> tc = new ArrayList<>();
        tc.add(tcol("Direction", TrackRow::direction));
        tc.add(tcol("Track", TrackRow::trackId));
        tc.add(tcol("Kind", TrackRow::kind));
        tc.add(tcol("Source", TrackRow::source));
        tc.add(tcol("Codec", TrackRow::codec));
        tc.add(tcol("Peer", TrackRow::peer));
        tc.add(tcol("kb/s", t -> String.valueOf(t.kbps())));
        tc.add(tcol("Loss %", TrackRow::loss));
        tc.add(tcol("Jitter ms", TrackRow::jitter));
        tc.add(tcol("RTT ms", TrackRow::rtt));
        tc.add(tcol("Layer", TrackRow::layer));
        tc.add(tcol("NACK", t -> String.valueOf(t.nacks())));
        tc.add(tcol("PLI", t -> String.valueOf(t.plis())));
        tc.add(tcol("Muted", TrackRow::muted));
        trackTable.getColumns().setAll(tc);
        trackTable.setItems(vm.tracks());

        bitrateChart = chart("Selected participant: bitrate (kb/s)", "participant-bitrate-chart", "up", "down");
        lossChart = chart("Selected participant: loss (%) and jitter (ms)", "participant-loss-chart", "loss %",
                "jitter ms");
        vm.selectedQualityProperty().addListener((o, was, now) -> showQuality(now, clock.getAsLong()));

        MenuButton mute = new MenuButton("Mute");
        mute.setId("mute-participant");
        for (MuteKind k : List.of(MuteKind.audio, MuteKind.video, MuteKind.all)) {
            MenuItem item = new MenuItem(k == MuteKind.all ? "audio and video" : k.name());
            item.setId("mute-" + k.name());
            item.setOnAction(e -> {
                ParticipantRow p = people.getSelectionModel().getSelectedItem();
                if (p != null && Dialogs.confirm(getScene().getWindow(), "Mute " + CallViewModel.label(p),
                        "Mute the " + item.getText() + " of " + CallViewModel.label(p) + "? They can unmute themselves.")) {
                    vm.mute(p, k, ok -> Dialogs.info(getScene().getWindow(), "Mute", ok),
                            err -> Dialogs.error(getScene().getWindow(), "Mute failed", err));
                }
            });
            mute.getItems().add(item);
        }
        mute.disableProperty().bind(people.getSelectionModel().selectedItemProperty().isNull());
        Button kick = new Button("Kick…");
        kick.setId("kick-participant");
        kick.disableProperty().bind(people.getSelectionModel().selectedItemProperty().isNull());
        kick.setOnAction(e -> {
            ParticipantRow p = people.getSelectionModel().getSelectedItem();
            if (p != null && Dialogs.confirm(getScene().getWindow(), "Kick " + CallViewModel.label(p),
                    "Remove " + CallViewModel.label(p) + " from call " + vm.callId() + "?")) {
                vm.kick(p, ok -> Dialogs.info(getScene().getWindow(), "Kick", ok),
                        err -> Dialogs.error(getScene().getWindow(), "Kick failed", err));
            }
        });
        Button end = new Button("End call…");
        end.setId("end-call");
        end.setOnAction(e -> {
            if (Dialogs.confirm(getScene().getWindow(), "End call " + vm.callId(),
                    "End call " + vm.callId() + "? Every participant is disconnected.")) {
                vm.endCall(ok -> Dialogs.info(getScene().getWindow(), "End call", ok),
                        err -> Dialogs.error(getScene().getWindow(), "End call failed", err));
            }
        });
        Button csv = Exports.csvButton(people, "Export the participants", vm.callId() + "-participants.csv");
        HBox charts = new HBox(6, bitrateChart, lossChart);
        Button png = Exports.pngButton("Export chart PNG…", charts, "Export the quality charts", vm.callId() + "-quality.png");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox toolbar = new HBox(6, title, status, grow, mute, kick, end, csv, png);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(8));

        HBox.setHgrow(bitrateChart, Priority.ALWAYS);
        HBox.setHgrow(lossChart, Priority.ALWAYS);
        VBox lower = new VBox(4, trackTable, charts);
        VBox.setVgrow(trackTable, Priority.ALWAYS);
        SplitPane split = new SplitPane(people, lower);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.4);
        setTop(toolbar);
        setCenter(split);
    }

    private void showQuality(List<CallViewModel.QualityPoint> points, long now) {
        set(bitrateChart, 0, points, p -> (double) p.kbpsUp(), now);
        set(bitrateChart, 1, points, p -> (double) p.kbpsDown(), now);
        set(lossChart, 0, points, CallViewModel.QualityPoint::lossPercent, now);
        set(lossChart, 1, points, CallViewModel.QualityPoint::jitterMillis, now);
    }

    private static void set(LineChart<Number, Number> c, int series, List<CallViewModel.QualityPoint> points,
                            Function<CallViewModel.QualityPoint, Double> f, long now) {
        List<XYChart.Data<Number, Number>> data = new ArrayList<>(points.size());
        for (var p : points) {
            data.add(new XYChart.Data<>((p.atMillis() - now) / 60_000.0, f.apply(p)));
        }
        c.getData().get(series).getData().setAll(data);
    }

    private static LineChart<Number, Number> chart(String title, String id, String... series) {
        NumberAxis x = new NumberAxis(-5, 0, 1);
        x.setAutoRanging(false);
        x.setLabel("minutes before now");
        LineChart<Number, Number> c = io.sfufleet.console.ui.Charts.line(title, id, x, series);
        c.setPrefHeight(200);
        return c;
    }

    private static <T> TableColumn<ParticipantRow, T> col(String title, double width,
                                                         Function<ParticipantRow, ObservableValue<T>> f) {
        TableColumn<ParticipantRow, T> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> f.apply(cd.getValue()));
        return c;
    }

    private static TableColumn<TrackRow, String> tcol(String title, Function<TrackRow, String> f) {
        TableColumn<TrackRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        return c;
    }

    public TableView<ParticipantRow> participantTable() {
        return people;
    }
}
