package io.sfufleet.console.ui;

import io.sfufleet.console.alerts.AlertRulesStore;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.WrongPassphraseException;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.store.ConsolePaths;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The desktop console. Options: {@code --db=FILE} (default as the CLI's). The passphrase that
 * encrypts node tokens comes from {@code SFU_CONSOLE_PASSPHRASE}, else it is asked for.
 */
public final class ConsoleApp extends Application {
    public static final String STYLESHEET = "/io/sfufleet/console/ui/console.css";

    private ConsoleCore core;
    private Pulse pulse;

    @Override
    public void start(Stage stage) {
        Map<String, String> named = getParameters().getNamed();
        Path dbFile = named.containsKey("db") ? Path.of(named.get("db"))
                : ConsolePaths.defaultDatabase(System.getenv(), System.getProperty("user.home"));
        ConsoleDatabase db;
        try {
            db = ConsoleDatabase.open(dbFile);
        } catch (RuntimeException e) {
            fatal("Cannot open the console database", e.getMessage());
            return;
        }
        Inventory inventory = openInventory(db);
        if (inventory == null) {
            db.close();
            Platform.exit();
            return;
        }
        core = new ConsoleCore(db, inventory, System.getProperty("user.name"), Clock.systemUTC(),
                MonitorSettings.DEFAULTS, AlertRulesStore.load(db)).start();
        pulse = new Pulse(javafx.util.Duration.seconds(1));
        MainView main = new MainView(core, new FxUiExecutor(core.workers()), pulse);
        Scene scene = new Scene(main, 1280, 800);
        scene.getStylesheets().add(ConsoleApp.class.getResource(STYLESHEET).toExternalForm());
        stage.setTitle("SFU fleet console — " + db.file());
        stage.setScene(scene);
        stage.show();
        pulse.start();
        pulse.beat();
    }

    private Inventory openInventory(ConsoleDatabase db) {
        String env = System.getenv("SFU_CONSOLE_PASSPHRASE");
        if (env != null && !env.isEmpty()) {
            try {
                return Inventory.open(db, env.toCharArray(), Clock.systemUTC());
            } catch (WrongPassphraseException e) {
                fatal("Wrong passphrase", e.getMessage() + "\n(from SFU_CONSOLE_PASSPHRASE)");
                return null;
            }
        }
        String problem = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<String> p = askPassphrase(db, problem);
            if (p.isEmpty()) {
                return null;
            }
            try {
                return Inventory.open(db, p.get().toCharArray(), Clock.systemUTC());
            } catch (WrongPassphraseException e) {
                problem = "Wrong passphrase: it does not open the tokens of this database.";
            }
        }
        return null;
    }

    private static Optional<String> askPassphrase(ConsoleDatabase db, String problem) {
        Dialog<String> d = new Dialog<>();
        d.setTitle("Console passphrase");
        d.setHeaderText("The passphrase that encrypts the node tokens in\n" + db.file()
                + "\n(the first one given creates it)");
        PasswordField f = new PasswordField();
        f.setId("passphrase");
        Label error = new Label(problem == null ? "" : problem);
        error.getStyleClass().add("form-error");
        d.getDialogPane().setContent(new VBox(8, f, error));
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? f.getText() : null);
        Platform.runLater(f::requestFocus);
        return d.showAndWait().filter(s -> !s.isEmpty());
    }

    private static void fatal(String title, String text) {
        Alert a = new Alert(Alert.AlertType.ERROR, text, ButtonType.CLOSE);
        a.setTitle(title);
        a.setHeaderText(title);
        a.showAndWait();
        Platform.exit();
    }

    @Override
    public void stop() {
        if (pulse != null) {
            pulse.stop();
        }
        if (core != null) {
            core.close();
        }
    }
}
