package io.sfufleet.console.ui.provision;

import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.ui.ChecklistTable;
import io.sfufleet.console.ui.ConsoleApp;
import io.sfufleet.console.ui.provision.ProvisionWizardViewModel.Step;
import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * The add-host wizard's window: one page per {@link Step}, Next and Cancel below. Only builds
 * controls and binds them to the {@link ProvisionWizardViewModel}; file choosers fill text fields,
 * so a path can also be typed (or set by a test).
 */
public final class ProvisionWizard extends Stage {
    private final ProvisionWizardViewModel vm;

    public ProvisionWizard(Window owner, ProvisionWizardViewModel vm) {
        this.vm = vm;
        if (owner != null) {
            initOwner(owner);
        }
        initModality(Modality.WINDOW_MODAL);
        setTitle("Add a host");

        Label steps = new Label();
        steps.setId("wizard-steps");
        steps.getStyleClass().add("section-title");
        steps.textProperty().bind(Bindings.createStringBinding(() -> {
            StringBuilder b = new StringBuilder();
            for (Step s : Step.values()) {
                if (!b.isEmpty()) {
                    b.append("   ›   ");
                }
                b.append(s == vm.stepProperty().get() ? "[" + (s.ordinal() + 1) + " " + s.title() + "]"
                        : (s.ordinal() + 1) + " " + s.title());
            }
            return b.toString();
        }, vm.stepProperty()));

        StackPane pages = new StackPane(page(Step.CONNECTION, connection()), page(Step.HOST_KEY, hostKey()),
                page(Step.PREFLIGHT, preflight()), page(Step.INSTALL, install()), page(Step.DONE, done()));
        VBox.setVgrow(pages, Priority.ALWAYS);

        ProgressBar working = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
        working.setPrefWidth(80);
        working.visibleProperty().bind(vm.busyProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("wizard-cancel");
        cancel.setCancelButton(true);
        cancel.disableProperty().bind(vm.installingProperty());
        cancel.visibleProperty().bind(vm.stepProperty().isNotEqualTo(Step.DONE));
        cancel.setOnAction(e -> close());
        Button next = new Button("Next ›");
        next.setId("wizard-next");
        next.setDefaultButton(true);
        next.disableProperty().bind(vm.canNext().not());
        next.visibleProperty().bind(vm.stepProperty().isNotEqualTo(Step.DONE));
        next.managedProperty().bind(next.visibleProperty());
        next.setOnAction(e -> vm.next());
        Button finish = new Button("Finish");
        finish.setId("wizard-finish");
        finish.visibleProperty().bind(vm.stepProperty().isEqualTo(Step.DONE));
        finish.managedProperty().bind(finish.visibleProperty());
        finish.setOnAction(e -> close());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, working, gap, cancel, next, finish);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox root = new VBox(12, steps, pages, buttons);
        root.setId("provision-wizard");
        root.setPadding(new Insets(14));
        // an install in progress ends on its own (installed, or rolled back): the window stays until then
        setOnCloseRequest(e -> {
            if (!vm.canCancel()) {
                e.consume();
            }
        });
        Scene scene = new Scene(root, 1000, 760);
        scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
        setScene(scene);
    }

    public ProvisionWizardViewModel viewModel() {
        return vm;
    }

    private Node page(Step step, Node content) {
        content.visibleProperty().bind(vm.stepProperty().isEqualTo(step));
        return content;
    }

    // ------------------------------------------------------------ pages

    private Node connection() {
        GridPane g = form();
        TextField name = field("wizard-name", vm.nameProperty(), "edge-1");
        TextField address = field("wizard-address", vm.addressProperty(), "203.0.113.10 or host.example.org");
        TextField port = field("wizard-ssh-port", vm.sshPortProperty(), "22");
        TextField user = field("wizard-user", vm.userProperty(), "root, or a user with sudo");
        ChoiceBox<HostAuth> auth = new ChoiceBox<>();
        auth.setId("wizard-auth");
        auth.getItems().setAll(HostAuth.values());
        auth.setConverter(new StringConverter<>() {
            @Override
            public String toString(HostAuth a) {
                return a == null ? "" : switch (a) {
                    case KEY -> "Private key file (ed25519 or RSA)";
                    case PASSWORD -> "Password";
                    case AGENT -> "ssh-agent (the console user's SSH_AUTH_SOCK)";
                };
            }

            @Override
            public HostAuth fromString(String s) {
                return null;
            }
        });
        auth.valueProperty().bindBidirectional(vm.authProperty());
        TextField key = field("wizard-key-file", vm.keyFileProperty(), "~/.ssh/id_ed25519");
        Button browse = new Button("Browse…");
        browse.setId("wizard-browse-key");
        browse.setOnAction(e -> choose("Private SSH key", vm.keyFileProperty(), null));
        HBox keyRow = new HBox(6, key, browse);
        HBox.setHgrow(key, Priority.ALWAYS);
        keyRow.disableProperty().bind(vm.authProperty().isNotEqualTo(HostAuth.KEY));
        PasswordField secret = new PasswordField();
        secret.setId("wizard-secret");
        secret.textProperty().bindBidirectional(vm.secretProperty());
        secret.disableProperty().bind(vm.authProperty().isEqualTo(HostAuth.AGENT));
        Label secretLabel = new Label();
        secretLabel.textProperty().bind(Bindings.when(vm.authProperty().isEqualTo(HostAuth.PASSWORD))
                .then("Password").otherwise("Key passphrase"));
        secret.promptTextProperty().bind(Bindings.when(vm.authProperty().isEqualTo(HostAuth.PASSWORD))
                .then("stored encrypted with the console passphrase").otherwise("empty if the key has none"));
        TextField prefix = field("wizard-prefix", vm.prefixProperty(), "/opt/sfu");
        int r = 0;
        g.addRow(r++, new Label("Name"), name);
        g.addRow(r++, new Label("Address"), address);
        g.addRow(r++, new Label("SSH port"), port);
        g.addRow(r++, new Label("User"), user);
        g.addRow(r++, new Label("Log in with"), auth);
        g.addRow(r++, new Label("Key file"), keyRow);
        g.addRow(r++, secretLabel, secret);
        g.addRow(r++, new Label("Install prefix"), prefix);

        Label hint = new Label();
        hint.setId("wizard-connection-hint");
        hint.getStyleClass().add("form-hint");
        hint.setWrapText(true);
        hint.textProperty().bind(Bindings.createStringBinding(() -> vm.nameProperty().get().isEmpty() ? ""
                : vm.validateConnection(), vm.nameProperty(), vm.addressProperty(), vm.sshPortProperty(),
                vm.userProperty(), vm.authProperty(), vm.keyFileProperty(), vm.secretProperty(), vm.prefixProperty()));
        Label error = error("wizard-connection-error", vm.connectionErrorProperty());
        Label intro = intro("Where the host's SSH server is and how the console logs in. Next stores the host "
                + "and reads its SSH host key; nothing is changed on the host.");
        return new VBox(10, intro, g, hint, error);
    }

    private Node hostKey() {
        Label intro = intro("SSH host key (trust on first use): accept it only if it is the key on the host's "
                + "console. Once accepted it is pinned, and a host presenting any other key is refused.");
        TextField fp = new TextField();
        fp.setId("wizard-fingerprint");
        fp.setEditable(false);
        fp.textProperty().bind(vm.presentedProperty());
        fp.getStyleClass().add("fingerprint");
        Label message = new Label();
        message.setId("wizard-key-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.keyMessageProperty());
        Label warning = error("wizard-key-error", vm.keyErrorProperty());
        warning.getStyleClass().add("key-warning");
        CheckBox confirm = new CheckBox("I have checked the NEW key on the host's console, and the change is expected");
        confirm.setId("wizard-replace-confirm");
        confirm.selectedProperty().bindBidirectional(vm.replaceConfirmedProperty());
        confirm.visibleProperty().bind(vm.keyChangedProperty());
        confirm.managedProperty().bind(confirm.visibleProperty());
        Button accept = new Button();
        accept.setId("wizard-accept");
        accept.textProperty().bind(Bindings.when(vm.keyChangedProperty()).then("Replace the pinned key")
                .otherwise("Accept and pin this key"));
        accept.disableProperty().bind(vm.canAccept().not());
        accept.setOnAction(e -> vm.accept());
        Label accepted = new Label("✔ pinned");
        accepted.setId("wizard-key-accepted");
        accepted.visibleProperty().bind(vm.keyAcceptedProperty());
        HBox row = new HBox(10, accept, accepted);
        row.setAlignment(Pos.CENTER_LEFT);
        return new VBox(10, intro, new Label("SHA256 fingerprint presented by the host:"), fp, message, warning,
                confirm, row);
    }

    private Node preflight() {
        GridPane g = form();
        g.addRow(0, new Label("Media port (UDP+TCP)"), field("wizard-media-port", vm.mediaPortProperty(), "8443"),
                new Label("Client port"), field("wizard-http-port", vm.httpPortProperty(), "8080"));
        g.addRow(1, new Label("API port"), field("wizard-api-port", vm.apiPortProperty(), "8045"),
                new Label("Bind address"), field("wizard-bind", vm.bindAddressProperty(), "0.0.0.0"));
        Button rerun = new Button();
        rerun.textProperty().bind(Bindings.when(vm.preflightRanProperty()).then("Re-run").otherwise("Run preflight"));
        rerun.setId("wizard-rerun");
        rerun.disableProperty().bind(vm.busyProperty());
        rerun.setOnAction(e -> vm.runPreflight());
        Label message = new Label();
        message.setId("wizard-preflight-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.preflightMessageProperty());
        HBox row = new HBox(10, rerun, message);
        row.setAlignment(Pos.CENTER_LEFT);
        ChecklistTable table = new ChecklistTable(vm.checks());
        VBox.setVgrow(table, Priority.ALWAYS);
        return new VBox(10, intro("The node's ports (defaults of sfu.toml), then the host checked for them. Next is off "
                + "until the preflight ran and while a line FAILs: fix it on the host, then Re-run."), g, row, table);
    }

    private Node install() {
        GridPane g = form();
        TextField bundle = field("wizard-bundle", vm.bundleProperty(), "sfu-server-VERSION-linux-x64.tar.gz");
        Button b1 = new Button("Browse…");
        b1.setId("wizard-browse-bundle");
        b1.setOnAction(e -> choose("Offline bundle", vm.bundleProperty(),
                new FileChooser.ExtensionFilter("sfu-server bundle", "sfu-server-*-linux-x64.tar.gz")));
        TextField key = field("wizard-site-key", vm.siteKeyProperty(), "the site's release-signing public key (PEM)");
        Button b2 = new Button("Browse…");
        b2.setId("wizard-browse-site-key");
        b2.setOnAction(e -> choose("Site public key", vm.siteKeyProperty(), null));
        g.addRow(0, new Label("Bundle"), grow(bundle, b1));
        g.addRow(1, new Label("Site key"), grow(key, b2));
        Button install = new Button("Install");
        install.setId("wizard-install");
        install.disableProperty().bind(vm.busyProperty());
        install.setOnAction(e -> vm.install());
        ProgressBar progress = new ProgressBar();
        progress.setId("wizard-progress");
        progress.setPrefWidth(400);
        progress.progressProperty().bind(vm.uploadProgressProperty());
        Label sent = new Label();
        sent.setId("wizard-upload-text");
        sent.textProperty().bind(vm.uploadTextProperty());
        HBox row = new HBox(10, install, progress, sent);
        row.setAlignment(Pos.CENTER_LEFT);
        ListView<String> stages = new ListView<>(vm.stages());
        stages.setId("wizard-stages");
        stages.setPrefHeight(180);
        stages.setPlaceholder(new Label("The stages of the install show here."));
        Label error = error("wizard-install-error", vm.installErrorProperty());
        return new VBox(10, intro("Uploads the signed bundle over SFTP, checks it on the host against the site key, "
                + "installs it, writes the config, starts the node, waits until it is ready and adds it to the fleet. "
                + "Safe to re-run."), g, row, new Label("Stages"), stages, error);
    }

    private Node done() {
        Label text = new Label();
        text.setId("wizard-done-text");
        text.setWrapText(true);
        text.textProperty().bind(vm.doneTextProperty());
        return new VBox(10, intro("Done: the node is on the Fleet screen."), text);
    }

    // ------------------------------------------------------------ helpers

    private void choose(String title, StringProperty target, FileChooser.ExtensionFilter filter) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        if (filter != null) {
            c.getExtensionFilters().add(filter);
        }
        String now = target.get();
        if (now != null && !now.isBlank()) {
            File dir = Path.of(now).toAbsolutePath().getParent().toFile();
            if (dir.isDirectory()) {
                c.setInitialDirectory(dir);
            }
        }
        File f = c.showOpenDialog(this);
        if (f != null) {
            target.set(f.getAbsolutePath());
        }
    }

    private static HBox grow(TextField f, Button b) {
        HBox h = new HBox(6, f, b);
        HBox.setHgrow(f, Priority.ALWAYS);
        return h;
    }

    private static GridPane form() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        javafx.scene.layout.ColumnConstraints label = new javafx.scene.layout.ColumnConstraints();
        label.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints value = new javafx.scene.layout.ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(label, value);
        return g;
    }

    private static TextField field(String id, StringProperty p, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(p);
        return f;
    }

    private static Label intro(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        // a wrapped label beside a wide table would otherwise be cut to one line with an ellipsis
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label error(String id, StringProperty text) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add("form-error");
        l.textProperty().bind(text);
        l.visibleProperty().bind(text.isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }
}
