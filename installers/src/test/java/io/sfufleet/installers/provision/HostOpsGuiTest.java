package io.sfufleet.installers.provision;

import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.await;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.call;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.describe;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.shot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.pki.CertPusher;
import io.sfufleet.console.provision.support.SupportBundle;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.certs.CertsViewModel;
import io.sfufleet.console.ui.hosts.HostRow;
import io.sfufleet.console.ui.hosts.HostsViewModel;
import io.sfufleet.console.ui.logs.LogsViewModel;
import io.sfufleet.installers.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
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
 * The Hosts screen's day-two actions in the console's window (headless Monocle) on a node installed
 * from the real bundle over a real sshd on 127.0.70.3: the logs pane shows a line the node writes
 * after it opened and closing it ends the host's tail; the support bundle (path set through the view
 * model: no native file dialog in a test); the site CA and a certificate issued and pushed from the
 * Certificates screen; uninstall clicked through its confirmation, keeping the logs.
 */
@ExtendWith(ApplicationExtension.class)
class HostOpsGuiTest {
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
        ConsoleWindow.close(window, () -> { });
    }

    @Test
    void logsSupportBundleAndUninstallFromTheHostsScreen(FxRobot robot) throws Exception {
        TestFleet.Bare host = hosts.bareHost("ops-g", "127.0.70.3", "");
        var p = main.hostsViewModel().provisioning();
        p.hosts().add(new HostStore.NewHost("ops-g", host.address(), host.sshd().port(), "root", HostAuth.KEY,
                host.key().toString(), null, host.prefix().toString()));
        p.hosts().trust("ops-g", host.sshd().fingerprint(), false);
        hosts.onFreePorts(hosts.nodeSpec("ops-g", host.address()), spec -> {
            try (HostSession s = p.hosts().connect("ops-g")) {
                p.installer().install(s, TestBundles.bundle(), TestBundles.devPublicKey(), spec,
                        Installer.Progress.none());
            }
        });
        long pid = hosts.nodePid("ops-g");
        Path log = host.prefix().resolve("log/sfu-server.log");

        // ---- the logs pane: the start line, then a line written after it opened
        window.tab(robot, "Hosts", "tab-hosts");
        TableView<HostRow> table = robot.lookup("#hosts-table").queryTableView();
        await("the host row", 30, () -> call(() -> table.getItems().size() == 1));
        robot.clickOn((Node) robot.from(table).lookup("ops-g").query());
        await("the row's actions on", 10, () -> call(() -> !robot.lookup("#logs-host").queryButton().isDisabled()));
        robot.clickOn("#logs-host");
        await("the logs tab", 30, () -> call(() -> logsTab() != null));
        Tab tab = ProvisionWizardGuiTest.fx(this::logsTab);
        LogsViewModel vm = (LogsViewModel) tab.getUserData();
        ListView<String> lines = robot.lookup("#logs-list").queryListView();
        await(() -> "the start line: " + describe(() -> vm.statusProperty().get()), 60,
                () -> call(() -> lines.getItems().stream().anyMatch(l -> l.contains(" running"))));
        assertThat(tailsOf(log)).as("a tail of the node's log on the host").isTrue();
        var n = core.inventory().require("ops-g");
        new NodeClient(core.http(), NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper()).reload();
        await("the node's reload line in the pane", 60,
                () -> call(() -> lines.getItems().stream().anyMatch(l -> l.contains("reloaded"))));
        shot(main, "logs.png");

        // the filter box narrows the shown lines
        robot.clickOn("#logs-filter");
        robot.write("reloaded");
        await("only the reload line shown", 30, () -> call(() -> !lines.getItems().isEmpty()
                && lines.getItems().stream().allMatch(l -> l.contains("reloaded"))));

        // closing the tab ends the tail on the host
        robot.clickOn((Node) robot.lookup("#tab-logs-ops-g .tab-close-button").query());
        await("the logs tab closed", 10, () -> call(() -> logsTab() == null));
        await("the pane's tail stopped", 60, () -> call(() -> !vm.runningProperty().get()));
        await("no tail of the node's log left on the host", 60, () -> !tailsOf(log));

        // the node's own screen offers the same pane (its host has the node's name)
        ProvisionWizardGuiTest.fx(() -> {
            main.openNode("ops-g");
            return null;
        });
        await("the Logs button on the node screen", 30, () -> robot.lookup("#node-logs").tryQuery().isPresent());

        // ---- support bundle, its path set through the view model
        HostsViewModel hostsVm = main.hostsViewModel();
        Path zip = tmp.resolve("out/support-ops-g.zip");
        Files.createDirectories(zip.getParent());
        AtomicReference<SupportBundle.Result> bundle = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>();
        ProvisionWizardGuiTest.fx(() -> {
            hostsVm.supportBundle("ops-g", zip, hostsVm.statusProperty()::set, bundle::set, error::set);
            return null;
        });
        await(() -> "the support bundle: " + error.get(), 120, () -> bundle.get() != null || error.get() != null);
        assertThat(error.get()).isNull();
        assertThat(zip).isNotEmptyFile();
        assertThat(bundle.get().failed()).as("sections that failed").isEmpty();
        assertThat(bundle.get().entries()).anyMatch(e -> e.endsWith("logs/sfu-server.log"));
        assertThat(HostsViewModel.describe(bundle.get())).contains(zip.toString()).contains("Every section");
        assertThat(text(robot, "#hosts-status")).contains("support bundle of ops-g written to " + zip);

        // ---- certificates: the CA created by clicking, one issued with the host's address prefilled, pushed
        window.tab(robot, "Certificates", "tab-certs");
        CertsViewModel certs = main.certsViewModel();
        robot.clickOn("#ca-name");
        robot.write("Ops Test CA");
        robot.clickOn("#ca-create");
        await("the create question", 30, () -> robot.lookup("#confirm-dialog").tryQuery().isPresent());
        robot.clickOn("OK");
        await("the CA", 60, () -> call(() -> !certs.caPemProperty().get().isEmpty()));
        assertThat(ProvisionWizardGuiTest.fx(() -> certs.prefillFor("ops-g"))).containsExactly(host.address(), "");
        AtomicReference<String> certError = new AtomicReference<>();
        ProvisionWizardGuiTest.fx(() -> {
            certs.issue("ops-g", host.address(), "", 397, certError::set);
            return null;
        });
        await("the issued certificate", 60, () -> call(() -> certs.rows().size() == 1) || certError.get() != null);
        assertThat(certError.get()).isNull();
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<CertPusher.Result> pushed = new AtomicReference<>();
        ProvisionWizardGuiTest.fx(() -> {
            certs.push("ops-g", stages::add, pushed::set, certError::set);
            return null;
        });
        await(() -> "the push: " + stages + " " + certError.get(), 240,
                () -> pushed.get() != null || certError.get() != null);
        assertThat(certError.get()).isNull();
        assertThat(pushed.get().apiUrl()).startsWith("https://");
        assertThat(stages).isNotEmpty();
        await("the certificate shown installed", 60, () -> call(() -> certs.rows().size() == 1
                && certs.rows().getFirst().installed() && certs.rows().getFirst().status().equals("OK")));
        shot(main, "certificates.png");
        pid = hosts.nodePid("ops-g");  // the push restarted the node

        // ---- uninstall, clicked through its confirmation with "Keep the logs" ticked
        window.tab(robot, "Hosts", "tab-hosts");  // closing the logs tab may have selected another
        robot.clickOn((Node) robot.from(table).lookup("ops-g").query());
        await("the row's actions on", 10, () -> call(() -> !robot.lookup("#uninstall-host").queryButton().isDisabled()));
        robot.clickOn("#uninstall-host");
        await("the confirmation", 30, () -> robot.lookup("#uninstall-keep-logs").tryQuery().isPresent());
        Node keep = robot.lookup("#uninstall-keep-logs").query();
        robot.clickOn(keep);
        Label question = (Label) ProvisionWizardGuiTest.fx(() -> ((javafx.scene.Parent) keep.getParent())
                .getChildrenUnmodifiable().getFirst());
        await("the question names what goes", 10, () -> call(() -> question.getText().contains("logs")
                && question.getText().contains("are kept")));
        assertThat(ProvisionWizardGuiTest.fx(question::getText)).contains("ops-g").contains(host.prefix().toString())
                .contains("the node ops-g leaves the fleet");
        shot(ProvisionWizardGuiTest.fx(() -> keep.getScene().getRoot()), "uninstall-confirm.png");
        robot.clickOn("Uninstall");
        await(() -> "the uninstall: " + text(robot, "#hosts-status"), 120,
                () -> text(robot, "#hosts-status").equals("uninstalled from ops-g"));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the node process").isFalse();
        assertThat(host.prefix().resolve("current")).doesNotExist();
        assertThat(log).as("the kept log").isNotEmptyFile();
        assertThat(core.inventory().find("ops-g")).isEmpty();
        await("the row without a node", 30, () -> call(() -> table.getItems().size() == 1
                && table.getItems().getFirst().nodeProperty().get().equals("—")));
        List<String> audited = core.audit().latest(20).stream().filter(e -> e.result().startsWith("ok"))
                .map(e -> e.action()).toList();
        assertThat(audited).contains("support.bundle", "pki.ca.create", "pki.cert.issue", "pki.cert.push",
                "provision.uninstall");
    }

    // ------------------------------------------------------------ helpers

    private Tab logsTab() {
        return main.tabs().getTabs().stream().filter(t -> "tab-logs-ops-g".equals(t.getId())).findFirst().orElse(null);
    }

    /** A tail of the log runs on the "host" (this machine): the pane's, started over SSH. */
    private static boolean tailsOf(Path log) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine()
                .filter(c -> c.contains("tail -n") && c.contains(log.toString())).isPresent());
    }

    private static String text(FxRobot robot, String id) {
        try {
            Label l = robot.lookup(id).queryAs(Label.class);
            return ProvisionWizardGuiTest.fx(l::getText);
        } catch (Exception e) {
            return "";
        }
    }
}
