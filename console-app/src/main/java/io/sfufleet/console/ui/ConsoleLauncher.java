package io.sfufleet.console.ui;

import io.sfufleet.console.cli.ConsoleCli;
import javafx.application.Application;

/**
 * Main class of the console: with no arguments (or only {@code --db=FILE}) it opens the window,
 * with a command ({@code nodes list}, {@code watch}, ...) it is the CLI. A plain class, not the
 * {@link Application} itself, so the JavaFX jars can sit on the class path (the java launcher
 * insists on modules only when the main class extends Application).
 */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void main(String[] args) {
        if (isGui(args)) {
            Application.launch(ConsoleApp.class, args);
        } else {
            ConsoleCli.main(args);
        }
    }

    static boolean isGui(String[] args) {
        for (String a : args) {
            if (!a.startsWith("--db=")) {
                return false;
            }
        }
        return true;
    }
}
