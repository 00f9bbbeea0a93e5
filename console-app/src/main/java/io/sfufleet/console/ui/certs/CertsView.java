package io.sfufleet.console.ui.certs;

import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.certs.CertsViewModel.CertRow;
import java.io.File;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** The site CA and the node certificates; only builds controls and binds them to the {@link CertsViewModel}. */
public final class CertsView extends BorderPane {
    private final TableView<CertRow> table = new TableView<>();

    public CertsView(CertsViewModel vm) {
        setId("certs-view");

        // ---- the CA: create, show, export
        Label summary = new Label();
        summary.setId("ca-summary");
        summary.textProperty().bind(vm.caSummaryProperty());
        TextField caName = new TextField();
        caName.setId("ca-name");
        caName.setPromptText("CA name, e.g. Example Site CA");
        Button create = new Button("Create site CA");
        create.setId("ca-create");
        create.disableProperty().bind(caName.textProperty().isEmpty().or(vm.caPemProperty().isNotEmpty()));
        create.setOnAction(e -> {
            if (Dialogs.confirm(getScene().getWindow(), "Create the site CA", "Create the site CA \""
                    + caName.getText().strip() + "\"? Its key stays in this console's database, sealed; browsers "
                    + "and operating systems must be told to trust its certificate (Export PEM).")) {
                vm.createCa(caName.getText().strip(), err -> Dialogs.error(getScene().getWindow(), "Create CA failed", err));
            }
        });
        Button export = new Button("Export PEM…");
        export.setId("ca-export");
        export.disableProperty().bind(vm.caPemProperty().isEmpty());
        export.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Save the site CA certificate");
            chooser.setInitialFileName("site-ca.crt");
            File f = chooser.showSaveDialog(getScene().getWindow());
            if (f != null) {
                vm.exportCa(f.toPath(), err -> Dialogs.error(getScene().getWindow(), "Export failed", err));
            }
        });
        TextArea pem = new TextArea();
        pem.setId("ca-pem");
        pem.setEditable(false);
        pem.setPrefRowCount(6);
        pem.getStyleClass().add("log-lines");
        pem.textProperty().bind(vm.caPemProperty());
        HBox caBar = new HBox(8, caName, create, export);
        caBar.setAlignment(Pos.CENTER_LEFT);
        TitledPane caPane = new TitledPane("Site CA", new VBox(8, summary, caBar, pem));
        caPane.setCollapsible(false);

        // ---- issue and push for a host
        ComboBox<String> host = new ComboBox<>(vm.hosts());
        host.setId("cert-host");
        host.setPromptText("Host");
        TextField ips = new TextField();
        ips.setId("cert-ips");
        ips.setPromptText("IP addresses");
        TextField dns = new TextField();
        dns.setId("cert-dns");
        dns.setPromptText("DNS names");
        TextField days = new TextField("397");
        days.setId("cert-days");
        days.setPrefColumnCount(4);
        host.valueProperty().addListener((o, was, now) -> {
            if (now != null) {
                String[] names = vm.prefillFor(now);
                ips.setText(names[0]);
                dns.setText(names[1]);
            }
        });
        Button issue = new Button("Issue");
        issue.setId("cert-issue");
        issue.disableProperty().bind(host.valueProperty().isNull().or(vm.caPemProperty().isEmpty()));
        issue.setOnAction(e -> {
            int d;
            try {
                d = Integer.parseInt(days.getText().strip());
            } catch (NumberFormatException ex) {
                Dialogs.error(getScene().getWindow(), "Issue", "the validity must be a number of days (1 to 397), not \""
                        + days.getText() + "\"");
                return;
            }
            vm.issue(host.getValue(), ips.getText(), dns.getText(), d,
                    err -> Dialogs.error(getScene().getWindow(), "Issue failed", err));
        });
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.setVisible(false);
        Label stage = new Label();
        stage.setId("cert-push-stage");
        Button push = new Button("Push…");
        push.setId("cert-push");
        push.disableProperty().bind(host.valueProperty().isNull().or(busy.visibleProperty()));
        push.setOnAction(e -> {
            String h = host.getValue();
            if (Dialogs.confirm(getScene().getWindow(), "Push the certificate to " + h, "Install " + h
                    + "'s newest certificate, switch its node to HTTPS/WSS and an HTTPS admin API, and restart it? "
                    + "Calls on it are cut during the restart.")) {
                busy.setVisible(true);
                vm.push(h, stage::setText, r -> {
                    busy.setVisible(false);
                    stage.setText("done: " + r.apiUrl());
                }, err -> {
                    busy.setVisible(false);
                    stage.setText("failed");
                    Dialogs.error(getScene().getWindow(), "Push failed", err);
                });
            }
        });
        HBox issueBar = new HBox(8, new Label("Certificate for"), host, ips, dns, new Label("days"), days, issue, push,
                busy, stage);
        issueBar.setAlignment(Pos.CENTER_LEFT);

        // ---- the certificates
        table.setId("certs-table");
        table.setItems(vm.rows());
        table.setPlaceholder(new Label("No node certificates yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("Host", 100, r -> r.host()));
        table.getColumns().add(text("Names", 220, r -> r.names()));
        table.getColumns().add(text("Valid until", 200, r -> r.notAfter().toString()));
        table.getColumns().add(text("Days left", 80, r -> Long.toString(r.daysLeft())));
        table.getColumns().add(text("Status", 90, r -> r.status()));
        table.getColumns().add(text("Installed", 80, r -> r.installed() ? "yes" : "no"));
        table.getColumns().add(text("Serial", 260, r -> r.serial()));
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(CertRow item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("cert-expiring", "cert-expired");
                if (!empty && item != null && !item.status().equals("OK")) {
                    getStyleClass().add(item.status().equals("EXPIRED") ? "cert-expired" : "cert-expiring");
                }
            }
        });

        Label status = new Label();
        status.setId("certs-status");
        status.textProperty().bind(vm.statusProperty());
        VBox top = new VBox(8, caPane, issueBar, status);
        top.setPadding(new Insets(8));
        setTop(top);
        setCenter(table);
    }

    private static TableColumn<CertRow, String> text(String title, double width, Function<CertRow, String> value) {
        TableColumn<CertRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> (ObservableValue<String>) new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
            }
        });
        return c;
    }
}
