package io.sfufleet.console.ui;

import io.sfufleet.console.actions.Durations;
import java.time.Duration;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Drain a node: how long its calls may go on, and why. This dialog is the confirmation. */
public final class DrainDialog extends Dialog<DrainDialog.Form> {
    public record Form(Duration deadline, String typed, String reason) {
    }

    public DrainDialog(Window owner, String node) {
        initOwner(owner);
        setTitle("Drain " + node);
        setHeaderText("Drain " + node + ": it takes no new joins; calls still running at the deadline are ended.");
        TextField deadline = new TextField("10m");
        deadline.setId("drain-deadline");
        TextField reason = new TextField();
        reason.setId("drain-reason");
        reason.setPromptText("for the node's log, e.g. kernel upgrade");
        Label error = new Label();
        error.getStyleClass().add("form-error");
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Deadline (e.g. 90s, 10m, 1h)"), deadline);
        g.addRow(1, new Label("Reason"), reason);
        g.add(error, 0, 2, 2, 1);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(ButtonType.OK);
        ok.setText("Drain");
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            try {
                Duration d = Durations.parse(deadline.getText().strip());
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("the deadline must be positive");
                }
            } catch (IllegalArgumentException ex) {
                error.setText("Deadline: " + ex.getMessage());
                e.consume();
            }
        });
        setResultConverter(b -> b == ButtonType.OK ? new Form(Durations.parse(deadline.getText().strip()),
                deadline.getText().strip(), reason.getText().isBlank() ? null : reason.getText().strip()) : null);
    }
}
