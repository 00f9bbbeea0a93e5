package io.sfufleet.demo;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.ui.ConsoleApp;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.FxUiExecutor;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.Pulse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The console's window on the demo's database. With a screenshot folder it also walks through the
 * fleet, node, call and alerts views, saves each as the window shows it, and closes.
 */
public final class DemoWindow extends Application {
    private static final Logger LOG = Logger.getLogger(DemoWindow.class.getName());
    static ConsoleCore core;
    static String nodeName;
    static Path screenshots;
    static final CountDownLatch CLOSED = new CountDownLatch(1);

    private Pulse pulse;

    @Override
    public void start(Stage stage) {
        pulse = new Pulse(Duration.seconds(1));
        MainView main = new MainView(core, new FxUiExecutor(core.workers()), pulse);
        Scene scene = new Scene(main, 1280, 800);
        scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
        stage.setTitle("SFU fleet console — demo");
        stage.setScene(scene);
        stage.setOnHidden(e -> CLOSED.countDown());
        stage.show();
        pulse.start();
        pulse.beat();
        if (screenshots != null) {
            tour(main, stage);
        }
    }

    /** Fleet at 20 s (a sparkline's worth of data), node at 24 s, a call at 30 s, alerts at 33 s, then close. */
    private void tour(MainView main, Stage stage) {
        Timeline t = new Timeline(
                new KeyFrame(Duration.seconds(20), e -> shot(main, "fleet.png")),
                new KeyFrame(Duration.seconds(20.5), e -> main.openNode(nodeName)),
                new KeyFrame(Duration.seconds(24), e -> shot(main, "node.png")),
                new KeyFrame(Duration.seconds(24.5), e -> main.openCall(nodeName, "standup")),
                new KeyFrame(Duration.seconds(27), e -> selectFirstParticipant(main)),
                new KeyFrame(Duration.seconds(30), e -> shot(main, "call.png")),
                new KeyFrame(Duration.seconds(30.5), e -> main.tabs().getTabs().stream()
                        .filter(tab -> "tab-alerts".equals(tab.getId())).findFirst()
                        .ifPresent(tab -> main.tabs().getSelectionModel().select(tab))),
                new KeyFrame(Duration.seconds(33), e -> shot(main, "alerts.png")),
                new KeyFrame(Duration.seconds(33.5), e -> stage.close()));
        t.play();
    }

    private static void selectFirstParticipant(MainView main) {
        main.getScene().getRoot().lookupAll("#call-participants").forEach(n -> {
            if (n instanceof TableView<?> table && !table.getItems().isEmpty()) {
                table.getSelectionModel().select(0);
            }
        });
    }

    private static void shot(MainView main, String name) {
        try {
            Files.createDirectories(screenshots);
            Exports.png(main.getScene().getRoot(), screenshots.resolve(name));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "screenshot " + name + " failed", e);
        }
    }

    @Override
    public void stop() {
        if (pulse != null) {
            pulse.stop();
        }
        CLOSED.countDown();
        Platform.exit();
    }
}
