package io.sfufleet.console.ui.rollout;

import io.sfufleet.console.ui.ConsoleApp;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.TextColumns;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import javafx.util.Duration;

/**
 * The rolling-upgrade window: the bundle, site key, hosts and drain deadline; Plan; the plan's table
 * (or the reasons it was refused); Start with a confirmation, then each node's stage live and an
 * overall bar. Only builds controls and binds them to the {@link RolloutViewModel}.
 */
public final class RolloutDialog extends Stage {
    private final RolloutViewModel vm;
    private final Timeline countdown;

    public RolloutDialog(Window owner, RolloutViewModel vm) {
        this.vm = vm;
        if (owner != null) {
            initOwner(owner);
        }
        initModality(Modality.WINDOW_MODAL);
        setTitle("Rolling upgrade");

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("Bundle"), withBrowse(field("rollout-bundle", vm.bundleProperty(),
                "sfu-server-VERSION-linux-x64.tar.gz"), "rollout-browse-bundle", "New bundle",
                new FileChooser.ExtensionFilter("sfu-server bundle", "sfu-server-*-linux-x64.tar.gz")));
        g.addRow(1, new Label("Site key"), withBrowse(field("rollout-site-key", vm.siteKeyProperty(),
                "the site's release-signing public key (PEM)"), "rollout-browse-site-key", "Site public key", null));
        TextField deadline = field("rollout-deadline", vm.drainDeadlineProperty(), "10m");
        deadline.setMaxWidth(100);
        Label deadlineHint = new Label("how long a drained node's calls may go on (90s, 10m, 1h)");
        g.addRow(2, new Label("Drain deadline"), new HBox(8, deadline, deadlineHint));
        CheckBox all = new CheckBox("All hosts with an installed node");
        all.setId("rollout-all");
        all.selectedProperty().bindBidirectional(vm.allHostsProperty());
        ListView<String> hosts = new ListView<>(vm.installedHosts());
        hosts.setId("rollout-hosts");
        hosts.setPrefHeight(90);
        hosts.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        hosts.disableProperty().bind(vm.allHostsProperty());
        hosts.setPlaceholder(new Label("No host has an installed node."));
        hosts.getSelectionModel().getSelectedItems().addListener((ListChangeListener<String>) c ->
                vm.chosenHosts().setAll(hosts.getSelectionModel().getSelectedItems()));
        g.addRow(3, new Label("Hosts"), new VBox(4, all, hosts));
        GridPane.setHgrow(hosts, Priority.ALWAYS);

        Button plan = new Button("Plan");
        plan.setId("rollout-plan");
        plan.disableProperty().bind(vm.busyProperty());
        plan.setOnAction(e -> vm.plan());
        Button start = new Button("Start…");
        start.setId("rollout-start");
        start.disableProperty().bind(Bindings.createBooleanBinding(() -> !vm.canStart(), vm.planProperty(),
                vm.busyProperty(), vm.resultProperty()));
        start.setOnAction(e -> {
            if (vm.canStart() && Dialogs.confirm(this, "Start the rolling upgrade", vm.confirmation())) {
                vm.start();
            }
        });
        ProgressBar working = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
        working.setPrefWidth(60);
        working.visibleProperty().bind(vm.busyProperty().and(vm.runningProperty().not()));
        Label noStop = new Label("No stop between nodes: the service has none yet, and each node ends upgraded "
                + "or rolled back.");
        noStop.setId("rollout-no-stop");
        noStop.visibleProperty().bind(vm.runningProperty());
        HBox buttons = new HBox(10, plan, start, working, noStop);
        buttons.setAlignment(Pos.CENTER_LEFT);

        TableView<RolloutRow> table = new TableView<>(vm.rows());
        table.setId("rollout-table");
        table.setPlaceholder(new Label("Plan checks the bundle, the site key and every host, touching nothing."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(TextColumns.of("Host", 90, r -> new ReadOnlyStringWrapper(r.host())));
        table.getColumns().add(TextColumns.of("Node", 90, r -> new ReadOnlyStringWrapper(r.node())));
        table.getColumns().add(TextColumns.of("Version", 220, RolloutRow::versionProperty));
        table.getColumns().add(TextColumns.of("Stage", 100, RolloutRow::stageProperty));
        table.getColumns().add(TextColumns.of("Detail", 420, RolloutRow::detailProperty));
        VBox.setVgrow(table, Priority.ALWAYS);

        ListView<String> problems = new ListView<>(vm.problems());
        problems.setId("rollout-problems");
        problems.setPrefHeight(140);
        problems.visibleProperty().bind(Bindings.isNotEmpty(vm.problems()));
        problems.managedProperty().bind(problems.visibleProperty());
        Label error = new Label();
        error.setId("rollout-error");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        ProgressBar overall = new ProgressBar();
        overall.setId("rollout-progress");
        overall.setMaxWidth(Double.MAX_VALUE);
        overall.progressProperty().bind(vm.progressProperty());
        HBox.setHgrow(overall, Priority.ALWAYS);
        Label summary = new Label();
        summary.setId("rollout-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(vm.summaryProperty());
        Button close = new Button("Close");
        close.setId("rollout-close");
        close.setCancelButton(true);
        close.disableProperty().bind(vm.runningProperty());  // the window is the rollout's only view
        close.setOnAction(e -> close());
        HBox bottom = new HBox(10, overall, close);
        bottom.setAlignment(Pos.CENTER_LEFT);

        VBox box = new VBox(10, g, buttons, error, problems, table, summary, bottom);
        box.setPadding(new Insets(12));
        BorderPane root = new BorderPane(box);
        root.setId("rollout-dialog");
        Scene scene = new Scene(root, 1000, 640);
        scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
        setScene(scene);
        // a running rollout cannot be abandoned by closing its window
        setOnCloseRequest(e -> {
            if (vm.runningProperty().get()) {
                e.consume();
            }
        });
        countdown = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick(Instant.now())));
        countdown.setCycleCount(Animation.INDEFINITE);
        // handlers, not setOnShown/setOnHidden: the opener sets its own on-hidden
        addEventHandler(WindowEvent.WINDOW_SHOWN, e -> countdown.play());
        addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> countdown.stop());
        vm.loadHosts();
    }

    public RolloutViewModel viewModel() {
        return vm;
    }

    private static TextField field(String id, StringProperty value, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(value);
        f.setPrefColumnCount(50);
        return f;
    }

    private HBox withBrowse(TextField f, String id, String title, FileChooser.ExtensionFilter filter) {
        Button b = new Button("Browse…");
        b.setId(id);
        b.setOnAction(e -> {
            FileChooser c = new FileChooser();
            c.setTitle(title);
            if (filter != null) {
                c.getExtensionFilters().add(filter);
            }
            String now = f.getText();
            if (now != null && !now.isBlank()) {
                File dir = Path.of(now.strip()).toAbsolutePath().getParent().toFile();
                if (dir.isDirectory()) {
                    c.setInitialDirectory(dir);
                }
            }
            File chosen = c.showOpenDialog(this);
            if (chosen != null) {
                f.setText(chosen.getAbsolutePath());
            }
        });
        HBox h = new HBox(6, f, b);
        HBox.setHgrow(f, Priority.ALWAYS);
        return h;
    }
}
