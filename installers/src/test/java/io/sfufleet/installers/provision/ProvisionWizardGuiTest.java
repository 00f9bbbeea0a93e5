package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.Verdict;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.fleet.NodeRow;
import io.sfufleet.console.ui.hosts.HostRow;
import io.sfufleet.console.ui.provision.ProvisionWizard;
import io.sfufleet.console.ui.provision.ProvisionWizardViewModel.Step;
import io.sfufleet.installers.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The add-host wizard in the console's window (headless Monocle), clicked and typed through against a
 * real sshd on 127.0.50.x with the real signed bundle, to a node that runs and is UP in the fleet;
 * and a changed host key refused by the wizard. Nodes are stopped by their PID files.
 */
@ExtendWith(ApplicationExtension.class)
class ProvisionWizardGuiTest {
    /** Where the pages are saved; scripts/screenshots.sh --wizard points it at docs/screenshots. */
    static final Path SHOTS = Path.of(System.getProperty("sfu.screenshots", "target/screenshots"));

    @TempDir
    Path tmp;
    private ConsoleWindow window;
    private ConsoleCore core;
    private TestFleet hosts;
    private MainView main;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        Files.createDirectories(SHOTS);
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
            if (main.wizard() != null) {
                main.wizard().close();
            }
        });
    }

    @Test
    void theWizardTakesABareHostToARunningNodeInTheFleet(FxRobot robot) throws Exception {
        TestFleet.Bare host = hosts.bareHost("edge-w", "127.0.50.2", "");
        window.tab(robot, "Hosts", "tab-hosts");
        robot.clickOn("#add-host");
        await("the wizard", 30, () -> robot.lookup("#wizard-name").tryQuery().isPresent());
        ProvisionWizard wizard = fx(main::wizard);

        // (1) connection, typed; the hint names what is still wrong while typing
        type(robot, "#wizard-name", "edge-w");
        type(robot, "#wizard-address", host.address());
        type(robot, "#wizard-ssh-port", "2x");
        await("the inline hint", 10, () -> text(robot, "#wizard-connection-hint").contains("SSH port must be a number"));
        type(robot, "#wizard-ssh-port", Integer.toString(host.sshd().port()));
        type(robot, "#wizard-key-file", host.key().toString());
        type(robot, "#wizard-prefix", host.prefix().toString());
        await("a complete form", 10, () -> text(robot, "#wizard-connection-hint").isEmpty());
        shot(wizard, "wizard-1-connection.png");
        robot.clickOn("#wizard-next");

        // (2) the key shown, compared, accepted
        await("the fingerprint", 60, () -> !text(robot, "#wizard-fingerprint").isEmpty());
        assertThat(text(robot, "#wizard-fingerprint")).isEqualTo(host.sshd().fingerprint());
        assertThat(disabled(robot, "#wizard-next")).as("Next before accepting").isTrue();
        shot(wizard, "wizard-2-host-key.png");
        robot.clickOn("#wizard-accept");
        await("the key pinned", 60, () -> visible(robot, "#wizard-key-accepted"));
        assertThat(main.hostsViewModel().provisioning().hosts().require("edge-w").hostKeyFingerprint())
                .isEqualTo(host.sshd().fingerprint());
        robot.clickOn("#wizard-next");

        // (3) the node's ports on this host's own address, then the checklist
        int media = hosts.ports.udpAndTcp(host.address());
        int http = hosts.ports.tcp(host.address());
        int api = hosts.ports.tcp(host.address());
        type(robot, "#wizard-media-port", Integer.toString(media));
        type(robot, "#wizard-http-port", Integer.toString(http));
        type(robot, "#wizard-api-port", Integer.toString(api));
        type(robot, "#wizard-bind", host.address());
        robot.clickOn("#wizard-rerun");
        TableView<Check> checks = robot.lookup("#preflight-table").queryTableView();
        await("the checklist", 120, () -> call(() -> wizard.viewModel().preflightRanProperty().get()));
        assertThat(fx(() -> List.copyOf(checks.getItems()))).hasSizeGreaterThan(10)
                .noneMatch(c -> c.verdict() == Verdict.FAIL);
        assertThat(disabled(robot, "#wizard-next")).isFalse();
        shot(wizard, "wizard-3-preflight.png");
        robot.clickOn("#wizard-next");

        // (4) the bundle and the site key (typed: no native file dialog in a test), Install
        type(robot, "#wizard-bundle", TestBundles.bundle().toString());
        type(robot, "#wizard-site-key", TestBundles.devPublicKey().toString());
        long t0 = System.nanoTime();
        robot.clickOn("#wizard-install");
        await("the upload under way", 120, () -> call(() -> wizard.viewModel().uploadProgressProperty().get() > 0));
        assertThat(disabled(robot, "#wizard-cancel")).as("Cancel during the install").isTrue();
        shot(wizard, "wizard-4-install.png");
        await(() -> "the install to finish: " + describe(() -> wizard.viewModel().stages() + " "
                + wizard.viewModel().installErrorProperty().get()), 360,
                () -> call(() -> wizard.viewModel().stepProperty().get() == Step.DONE
                        || !wizard.viewModel().installErrorProperty().get().isEmpty()));
        long installMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(fx(() -> wizard.viewModel().installErrorProperty().get())).isEmpty();
        assertThat(fx(() -> List.copyOf(wizard.viewModel().stages()))).containsSubsequence("upload", "verify",
                "install", "start", "ready", "register");
        assertThat(fx(() -> wizard.viewModel().uploadProgressProperty().get())).isEqualTo(1.0);
        assertThat(text(robot, "#wizard-done-text")).contains(TestBundles.version()).contains("edge-w")
                .contains("supervised");
        shot(wizard, "wizard-5-done.png");
        System.out.println("wizard install of one host: " + installMillis + " ms");
        robot.clickOn("#wizard-finish");

        // (5) the node in the Fleet table, UP, with the installed version; the host on the Hosts screen
        window.tab(robot, "Fleet", "tab-fleet");
        TableView<NodeRow> fleet = robot.lookup("#fleet-table").queryTableView();
        await("edge-w UP in the fleet", 60, () -> call(() -> fleet.getItems().stream().anyMatch(r ->
                r.getName().equals("edge-w") && r.healthText().equals("UP")
                        && r.versionProperty().get().equals(TestBundles.version()))));
        window.tab(robot, "Hosts", "tab-hosts");
        TableView<HostRow> table = robot.lookup("#hosts-table").queryTableView();
        await(() -> "the host row with its node UP: " + describe(() -> table.getItems().stream()
                .map(r -> r.name() + " " + r.stateProperty().get()).toList() + " "
                + main.hostsViewModel().statusProperty().get()), 60, () -> call(() -> table.getItems().size() == 1
                && table.getItems().get(0).stateProperty().get().startsWith("UP")));
        HostRow row = fx(() -> table.getItems().get(0));
        assertThat(row.hostKey()).endsWith(host.sshd().fingerprint());
        assertThat(fx(() -> row.nodeProperty().get())).isEqualTo("edge-w");
        robot.clickOn((Node) robot.from(table).lookup(row.target()).query());
        await("the row selected, its actions on", 10, () -> call(() -> !robot.lookup("#install-host").queryButton().isDisabled()));
        shot(main, "hosts.png");

        List<String> actions = core.audit().latest(50).stream().filter(e -> e.result().startsWith("ok"))
                .map(AuditEntry::action).toList();
        assertThat(actions).contains("hosts.add", "hosts.trust", "hosts.preflight", "provision.install",
                "config.install");
        // the wizard recorded the file it wrote, as sfu-console install does: the host is not "not written by console"
        assertThat(main.hostsViewModel().provisioning().configs().drift(List.of("edge-w"))).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(
                        io.sfufleet.console.provision.config.ConfigService.DriftStatus.IN_SYNC));
    }

    @Test
    void theWizardRefusesAChangedHostKeyUntilTheOperatorConfirmsTheChange(FxRobot robot) throws Exception {
        TestFleet.Bare host = hosts.bareHost("edge-k", "127.0.50.3", "");
        var service = main.hostsViewModel().provisioning().hosts();
        service.add(new HostStore.NewHost("edge-k", host.address(), host.sshd().port(), "root", HostAuth.KEY,
                host.key().toString(), null, host.prefix().toString()));
        String old = host.sshd().fingerprint();
        service.trust("edge-k", old, false);
        host.sshd().close();
        host.sshd().newHostKey();
        host.sshd().start();
        String now = host.sshd().fingerprint();

        window.tab(robot, "Hosts", "tab-hosts");
        TableView<HostRow> table = robot.lookup("#hosts-table").queryTableView();
        await("the host row", 30, () -> call(() -> table.getItems().size() == 1));
        robot.clickOn((Node) robot.from(table).lookup("edge-k").query());
        robot.clickOn("#install-host");
        await("the changed-key warning", 60, () -> visible(robot, "#wizard-key-error"));
        ProvisionWizard wizard = fx(main::wizard);
        assertThat(text(robot, "#wizard-key-error")).contains("CHANGED").contains(old).contains(now);
        assertThat(disabled(robot, "#wizard-accept")).isTrue();
        assertThat(disabled(robot, "#wizard-next")).isTrue();
        shot(wizard, "wizard-key-changed.png");
        robot.clickOn("#wizard-accept");  // disabled: does nothing
        assertThat(service.require("edge-k").hostKeyFingerprint()).isEqualTo(old);
        assertThat(core.audit().latest(10)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("hosts.connect");
            assertThat(e.result()).startsWith("refused").contains(now);
        });
        robot.clickOn("#wizard-cancel");
        await("the wizard closed", 10, () -> call(() -> !wizard.isShowing()));
        assertThat(service.require("edge-k").hostKeyFingerprint()).as("the pinned key after Cancel").isEqualTo(old);
    }

    // ------------------------------------------------------------ helpers (the other GUI tests use them too)

    /** Clicks into a field, selects what it holds and types over it. */
    static void type(FxRobot robot, String id, String text) throws Exception {
        robot.clickOn(id);
        TextInputControl f = robot.lookup(id).queryAs(TextInputControl.class);
        fx(() -> {
            f.selectAll();
            return null;
        });
        robot.write(text);
        await(id + " = " + text, 30, () -> call(() -> f.getText().equals(text)));
    }

    static String text(FxRobot robot, String id) {
        try {
            Node n = robot.lookup(id).query();
            return fx(() -> n instanceof TextField t ? t.getText() : ((Labeled) n).getText());
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean disabled(FxRobot robot, String id) throws Exception {
        Button b = robot.lookup(id).queryButton();
        return fx(b::isDisabled);
    }

    private static boolean visible(FxRobot robot, String id) {
        return call(() -> robot.lookup(id).tryQuery().map(Node::isVisible).orElse(false));
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    static String describe(Callable<String> c) {
        try {
            return fx(c);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    static boolean call(Callable<Boolean> c) {
        try {
            return fx(c);
        } catch (Exception e) {
            return false;
        }
    }

    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        TestConsole.await(what, seconds, condition);
    }

    static void await(java.util.function.Supplier<String> what, int seconds, BooleanSupplier condition)
            throws InterruptedException {
        TestConsole.await(what, seconds, condition);
    }

    /** Saves what a window shows, for a person to look at (target/screenshots). */
    private static void shot(Stage stage, String name) throws Exception {
        Node root = fx(() -> stage.getScene().getRoot());
        shot(root, name);
    }

    private static void shot(MainView main, String name) throws Exception {
        shot((Node) main, name);
    }

    static void shot(Node root, String name) throws Exception {
        fx(() -> {
            Exports.png(root, SHOTS.resolve(name));
            return null;
        });
        assertThat(SHOTS.resolve(name)).isNotEmptyFile();
    }
}
