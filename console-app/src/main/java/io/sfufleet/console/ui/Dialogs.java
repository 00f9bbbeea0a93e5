package io.sfufleet.console.ui;

import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;
import org.controlsfx.control.Notifications;
import javafx.util.Duration;

/** Confirmations and notices shared by the screens. */
public final class Dialogs {
    private Dialogs() {
    }

    /** Asks before an action; true when the user confirmed. */
    public static boolean confirm(Window owner, String title, String question) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        a.getDialogPane().setId("confirm-dialog");
        Optional<ButtonType> r = a.showAndWait();
        return r.isPresent() && r.get() == ButtonType.OK;
    }

    public static void info(Window owner, String title, String text) {
        notification(owner, title, text, false);
    }

    public static void error(Window owner, String title, String text) {
        notification(owner, title, text, true);
    }

    private static void notification(Window owner, String title, String text, boolean error) {
        if (owner == null || !owner.isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(owner).title(title).text(text)
                .hideAfter(Duration.seconds(error ? 10 : 4));
        if (error) {
            n.showError();
        } else {
            n.showInformation();
        }
    }

    public static String message(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
