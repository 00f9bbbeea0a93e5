package io.sfufleet.console.ui.audit;

import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.Formats;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/** The audit trail as a table, with reload and CSV export. */
public final class AuditView extends BorderPane {
    public AuditView(AuditViewModel vm) {
        setId("audit-view");
        TableView<AuditEntry> table = new TableView<>();
        table.setId("audit-table");
        table.setPlaceholder(new Label("No actions yet."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                col("When", e -> Formats.time(e.atMillis())),
                col("Who", AuditEntry::who),
                col("Node", AuditEntry::node),
                col("Action", AuditEntry::action),
                col("Target", AuditEntry::target),
                col("Result", AuditEntry::result)));
        table.setItems(vm.entries());
        Button reload = new Button("Reload");
        reload.setOnAction(e -> vm.reload());
        Button csv = Exports.csvButton(table, "Export the audit trail", "audit.csv");
        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(6, reload, csv, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        setCenter(table);
    }

    private static TableColumn<AuditEntry, String> col(String title, Function<AuditEntry, String> f) {
        TableColumn<AuditEntry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }
}
