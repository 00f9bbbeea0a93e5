package io.sfufleet.installers.provision;

import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.await;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.call;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.describe;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.fx;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.shot;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.text;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.rollout.RolloutDialog;
import io.sfufleet.console.ui.rollout.RolloutRow;
import io.sfufleet.installers.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The rolling-upgrade window in the console (headless Monocle) walked through: from the Hosts
 * screen, the bundle and key typed, Plan, Start and its confirmation, until both nodes (real sshd
 * hosts 127.0.80.4 and 127.0.80.5, the real bundle installed) are done at v2.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutGuiTest {
    private static final String V2 = "9.0.0-guiroll";

    @TempDir
    Path tmp;
    private ConsoleWindow window;
    private ConsoleCore core;
    private TestFleet hosts;
    private MainView main;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        Files.createDirectories(ProvisionWizardGuiTest.SHOTS);
    }

    @Start
    void start(Stage stage) throws Exception {
        // the console is built here, in TestFX's window set-up (before @BeforeEach), on the test's @TempDir
        window = ConsoleWindow.start(stage, tmp);
        core = window.core;
        hosts = window.hosts;
        main = window.main;
    }

    @AfterEach
    void tearDown() throws Exception {
        ConsoleWindow.close(window, () -> {
            if (main.rollout() != null) {
                main.rollout().close();
            }
        });
    }

    @Test
    void twoNodesArePlannedAndUpgradedFromTheWindow(FxRobot robot) throws Exception {
        Provisioning p = main.hostsViewModel().provisioning();
        List<NodeSpec> specs = List.of(hosts.host(p.hosts(), "edge-a", "127.0.80.4", ""),
                hosts.host(p.hosts(), "edge-b", "127.0.80.5", ""));
        hosts.installBundle(p.hosts(), p.installer(), specs);
        Path v2 = TestBundles.asVersion(tmp, V2, tree -> { });
        String v1 = TestBundles.version();

        robot.clickOn("Hosts");
        await("the Hosts screen", 30, () -> robot.lookup("#rollout-hosts-open").tryQuery().isPresent());
        robot.clickOn("#rollout-hosts-open");
        await("the rollout window", 30, () -> robot.lookup("#rollout-bundle").tryQuery().isPresent());
        RolloutDialog dialog = fx(main::rollout);
        await("the installed hosts", 60, () -> call(() -> dialog.viewModel().installedHosts().size() == 2));

        type(robot, "#rollout-bundle", v2.toString());
        type(robot, "#rollout-site-key", TestBundles.devPublicKey().toString());
        type(robot, "#rollout-deadline", "5s");
        robot.clickOn("#rollout-plan");
        TableView<RolloutRow> table = robot.lookup("#rollout-table").queryTableView();
        await(() -> "the plan: " + describe(() -> dialog.viewModel().errorProperty().get() + " "
                + dialog.viewModel().problems()), 120, () -> call(() -> table.getItems().size() == 2));
        assertThat(fx(() -> table.getItems().stream().map(r -> r.host() + " " + r.versionProperty().get() + " "
                + r.stageProperty().get()).toList())).containsExactly("edge-a " + v1 + " → " + V2 + " planned",
                        "edge-b " + v1 + " → " + V2 + " planned");
        shot(dialog.getScene().getRoot(), "rollout-1-plan.png");

        robot.clickOn("#rollout-start");
        await("the confirmation", 30, () -> call(() -> robot.lookup("#confirm-dialog").tryQuery().isPresent()));
        robot.clickOn("OK");
        await("the rollout under way", 60, () -> call(() -> dialog.viewModel().runningProperty().get()));
        assertThat(text(robot, "#rollout-no-stop")).contains("No stop between nodes");
        long t0 = System.nanoTime();
        await("a node past its first stages", 300, () -> call(() -> table.getItems().stream().anyMatch(r ->
                List.of("drain", "wait", "switch", "restart", "ready", "version", "undrain", "done")
                        .contains(r.stageProperty().get()))));
        shot(dialog.getScene().getRoot(), "rollout-2-progress.png");
        await(() -> "both nodes done: " + describe(() -> table.getItems().stream().map(r -> r.host() + " "
                + r.stageProperty().get() + " " + r.detailProperty().get()).toList() + " "
                + dialog.viewModel().errorProperty().get()), 600,
                () -> call(() -> dialog.viewModel().resultProperty().get() != null
                        || !dialog.viewModel().errorProperty().get().isEmpty()));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(fx(() -> dialog.viewModel().errorProperty().get())).isEmpty();
        assertThat(fx(() -> table.getItems().stream().map(r -> r.host() + " " + r.versionProperty().get() + " "
                + r.stageProperty().get()).toList())).containsExactly("edge-a " + V2 + " done", "edge-b " + V2 + " done");
        assertThat(fx(() -> dialog.viewModel().progressProperty().get())).isEqualTo(1.0);
        assertThat(text(robot, "#rollout-summary")).contains("2 upgraded to " + V2);
        shot(dialog.getScene().getRoot(), "rollout-3-done.png");
        System.out.println("GUI rollout of 2 nodes: " + millis + " ms");
    }
}
