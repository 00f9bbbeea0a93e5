package io.sfufleet.installers.provision;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.ui.ConsoleApp;
import io.sfufleet.console.ui.FxUiExecutor;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.Pulse;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;

/**
 * The console's main window as the installers' GUI tests open it: a real ConsoleCore on the test's
 * directory, the MainView in a 1280x800 scene with the console's stylesheet, and a TestFleet for
 * the sshd hosts (its own database is not used; the console under test has its own). One place so
 * the four GUI tests set up and tear down the same window the same way.
 */
final class ConsoleWindow {
    final ConsoleCore core;
    final TestFleet hosts;
    final Pulse pulse;
    final MainView main;

    private ConsoleWindow(ConsoleCore core, TestFleet hosts, Pulse pulse, MainView main) {
        this.core = core;
        this.hosts = hosts;
        this.pulse = pulse;
        this.main = main;
    }

    /** Builds the console on {@code tmp} and shows it on TestFX's stage (called from an @Start method). */
    static ConsoleWindow start(Stage stage, Path tmp) throws Exception {
        ConsoleCore core = TestConsole.core(tmp, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS).start();
        TestFleet hosts = null;
        try {
            hosts = new TestFleet(Files.createDirectories(tmp.resolve("hosts")));
            Pulse pulse = new Pulse(javafx.util.Duration.seconds(1));
            MainView main = new MainView(core, new FxUiExecutor(core.workers()), pulse);
            Scene scene = new Scene(main, 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
            stage.setScene(scene);
            stage.show();
            pulse.start();
            return new ConsoleWindow(core, hosts, pulse, main);
        } catch (Exception | Error e) {
            // no window to close in @AfterEach: what was started is stopped here
            if (hosts != null) {
                hosts.close();
            }
            core.close();
            throw e;
        }
    }

    /** Clicks a tab's header until it is selected (a few tries: a click can be lost on a loaded machine). */
    void tab(FxRobot robot, String title, String id) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            robot.clickOn(title);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (ProvisionWizardGuiTest.call(
                        () -> id.equals(main.tabs().getSelectionModel().getSelectedItem().getId()))) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the " + title + " tab was not selected after 3 clicks");
    }

    /**
     * Stops the pulse and runs {@code onFx} (closing the screen's own window, say) on the FX thread,
     * then stops the hosts' nodes and closes the console. Null-safe so a failed start still tears down.
     */
    static void close(ConsoleWindow window, Runnable onFx) throws Exception {
        if (window == null) {
            return;
        }
        ProvisionWizardGuiTest.fx(() -> {
            window.pulse.stop();
            onFx.run();
            return null;
        });
        window.hosts.close();
        window.core.close();
    }
}
