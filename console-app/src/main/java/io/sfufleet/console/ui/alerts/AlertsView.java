package io.sfufleet.console.ui.alerts;

import io.sfufleet.console.alerts.Alert;
import io.sfufleet.console.ui.Formats;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.scene.layout.Priority;

/** Active alerts above, the stored history below. */
public final class AlertsView extends SplitPane {
    public AlertsView(AlertsViewModel vm) {
        setId("alerts-view");
        setOrientation(Orientation.VERTICAL);
        TableView<Alert> active = table("active-alerts", "No alerts: every node is reachable and within its thresholds.");
        active.setItems(vm.active());
        TableView<Alert> history = table("alert-history", "No alerts recorded yet.");
        history.getColumns().add(col("Cleared", a -> a.clearedAtMillis() == null ? "active" : Formats.time(a.clearedAtMillis())));
        history.setItems(vm.history());
        getItems().addAll(box("Active alerts", active), box("History (newest first)", history));
        setDividerPositions(0.45);
    }

    private static VBox box(String title, TableView<Alert> t) {
        Label l = new Label(title);
        l.getStyleClass().add("section-title");
        VBox b = new VBox(4, l, t);
        b.setPadding(new Insets(6));
        VBox.setVgrow(t, Priority.ALWAYS);
        return b;
    }

    private static TableView<Alert> table(String id, String empty) {
        TableView<Alert> t = new TableView<>();
        t.setId(id);
        t.setPlaceholder(new Label(empty));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().setAll(List.of(
                col("Raised", a -> Formats.time(a.raisedAtMillis())),
                col("Severity", a -> a.severity().name()),
                col("Node", Alert::node),
                col("Kind", a -> a.kind().name()),
                col("Message", Alert::message)));
        t.getColumns().get(4).setPrefWidth(460);
        return t;
    }

    private static TableColumn<Alert, String> col(String title, Function<Alert, String> f) {
        TableColumn<Alert, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }
}
