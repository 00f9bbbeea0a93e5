package io.sfufleet.console.ui.hosts;

import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.Verdict;
import io.sfufleet.console.ui.ChecklistTable;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** A host's preflight checklist; filled in when the checks (run on a worker) come back. */
public final class PreflightDialog extends Dialog<Void> {
    private final ObservableList<Check> checks = FXCollections.observableArrayList();
    private final Label summary = new Label();

    public PreflightDialog(Window owner, String host, int mediaPort, int apiPort) {
        initOwner(owner);
        setTitle("Preflight of " + host);
        setHeaderText("Preflight of " + host + " for media port " + mediaPort + " and API port " + apiPort);
        getDialogPane().setId("preflight-dialog");
        summary.setId("preflight-summary");
        summary.setWrapText(true);
        summary.setText("Running the checks over SSH…");
        ChecklistTable table = new ChecklistTable(checks);
        table.setPrefSize(860, 420);
        getDialogPane().setContent(new VBox(8, summary, table));
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        setResizable(true);
    }

    public void show(List<Check> result) {
        checks.setAll(result);
        long fail = result.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
        long warn = result.stream().filter(c -> c.verdict() == Verdict.WARN).count();
        summary.setText(fail > 0 ? fail + " FAIL, " + warn + " WARN: fix the FAIL lines before installing."
                : warn + " WARN, no FAIL: the host is ready for an install.");
    }

    public void failed(String message) {
        summary.getStyleClass().add("form-error");
        summary.setText(message);
    }
}
