package io.sfufleet.console.ui.logs;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The log lines with a filter box, Pause/Resume and Stop; binds to a {@link LogsViewModel}. It keeps
 * the newest line in view unless the operator scrolled up to read something.
 */
public final class LogsPane extends BorderPane {
    private final ListView<String> list = new ListView<>();

    public LogsPane(LogsViewModel vm) {
        setId("logs-pane");
        list.setId("logs-list");
        list.getStyleClass().add("log-lines");
        list.setItems(vm.lines());
        list.setPlaceholder(new Label("No lines yet"));

        TextField filter = new TextField();
        filter.setId("logs-filter");
        filter.setPromptText("Filter (text a line contains)");
        filter.setPrefColumnCount(24);
        filter.textProperty().bindBidirectional(vm.filterProperty());
        ToggleButton pause = new ToggleButton("Pause");
        pause.setId("logs-pause");
        pause.selectedProperty().bindBidirectional(vm.pausedProperty());
        pause.textProperty().bind(pause.selectedProperty().map(p -> p ? "Resume" : "Pause"));
        Button stop = new Button("Stop");
        stop.setId("logs-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        Label status = new Label();
        status.setId("logs-status");
        status.textProperty().bind(vm.statusProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Log of " + vm.host()), filter, pause, stop, gap, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        setTop(bar);
        setCenter(list);

        list.getItems().addListener((ListChangeListener<String>) c -> {
            if (atBottom()) {
                list.scrollTo(list.getItems().size() - 1);
            }
        });
    }

    public ListView<String> list() {
        return list;
    }

    /** True unless the operator scrolled away from the end (then new lines must not move the view). */
    private boolean atBottom() {
        for (Node n : list.lookupAll(".scroll-bar")) {
            if (n instanceof ScrollBar b && b.getOrientation() == Orientation.VERTICAL && b.isVisible()) {
                return b.getValue() >= b.getMax() - 0.02;
            }
        }
        return true;
    }
}
