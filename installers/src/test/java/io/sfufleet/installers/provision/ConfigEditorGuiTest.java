package io.sfufleet.installers.provision;

import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.await;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.call;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.describe;
import static io.sfufleet.installers.provision.ProvisionWizardGuiTest.fx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.config.ConfigRefusedException;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.ui.Exports;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.config.ConfigEditor;
import io.sfufleet.console.ui.config.KeyRow;
import io.sfufleet.console.ui.config.PushRow;
import io.sfufleet.console.ui.hosts.HostRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
 * The Config editor in the console's window (headless Monocle) against a node from the real bundle
 * on an sshd at 127.0.90.3: a value typed into the table, an invalid one refused with the shared
 * rules' reason, a push confirmed and its host row done; then "Check drift" marks the host in sync.
 */
@ExtendWith(ApplicationExtension.class)
class ConfigEditorGuiTest {
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
            if (main.configActions().editor() != null) {
                main.configActions().editor().close();
            }
        });
    }

    @Test
    void aValueIsEditedInTheTableAnInvalidOneRefusedAndThePushReachesTheHost(FxRobot robot) throws Exception {
        var p = main.hostsViewModel().provisioning();
        NodeSpec spec = hosts.hostIn(p, "edge-g", "127.0.90.3");
        hosts.installIn(p, "edge-g", spec);
        core.inventoryChanged();

        window.tab(robot, "Hosts", "tab-hosts");
        TableView<HostRow> hostTable = robot.lookup("#hosts-table").queryTableView();
        await("the host row", 60, () -> call(() -> hostTable.getItems().size() == 1));
        robot.clickOn((Node) robot.from(hostTable).lookup("edge-g").query());
        robot.clickOn("#config-host");
        await("the editor with its keys", 60, () -> call(() -> main.configActions().editor() != null
                && main.configActions().editor().table().getItems().size() > 10));
        ConfigEditor editor = main.configActions().editor();
        TableView<KeyRow> table = editor.table();
        KeyRow maxCalls = fx(() -> table.getItems().stream().filter(r -> r.key().equals("limits.max_calls"))
                .findFirst().orElseThrow());

        // an invalid value: refused in the table with the shared rules' reason, the value kept
        typeValue(robot, table, maxCalls, "0");
        String reason = refusal("limits.max_calls=0");
        await("the refusal on the row", 30, () -> call(() -> maxCalls.errorProperty().get().contains(reason)));
        assertThat(cellText(robot, table, maxCalls, "config-problem-column")).contains(reason);
        assertThat(cellText(robot, table, maxCalls, "config-value-column")).isEqualTo("1000");
        assertThat(fx(() -> maxCalls.changedProperty().get())).isFalse();
        shot(editor, "config-editor-refused.png");

        typeValue(robot, table, maxCalls, "7");
        await("the edit taken", 30, () -> call(() -> maxCalls.changedProperty().get()
                && maxCalls.errorProperty().get().isEmpty()));
        assertThat(cellText(robot, table, maxCalls, "config-value-column")).isEqualTo("7");
        assertThat(fx(() -> cell(robot, table, maxCalls, "config-value-column").getTableRow().getStyleClass()))
                .contains("config-changed");

        robot.clickOn("#config-diff");
        await("the diff", 120, () -> call(() -> editor.viewModel().diff().stream()
                .anyMatch(l -> l.startsWith("limits.max_calls: 1000 -> 7"))));
        shot(editor, "config-editor.png");

        robot.clickOn("#config-push");
        await("the confirmation", 30, () -> robot.lookup("#confirm-dialog").tryQuery().isPresent());
        Button ok = robot.from(robot.lookup("#confirm-dialog").queryAs(Node.class)).lookup(".button")
                .match((Button b) -> b.getText().equals("OK")).queryButton();
        robot.clickOn(ok);
        await(() -> "the host's push row done: " + describe(() -> editor.viewModel().pushRows().stream()
                .map(r -> r.stageProperty().get() + " " + r.resultProperty().get() + " " + r.messageProperty().get())
                .toList().toString()), 180, () -> call(() -> editor.viewModel().pushRows().size() == 1
                && editor.viewModel().pushRows().get(0).stageProperty().get().equals("done")));
        PushRow row = fx(() -> editor.viewModel().pushRows().get(0));
        assertThat(fx(() -> row.resultProperty().get())).isEqualTo("reloaded");
        await("the push's summary", 30, () -> call(() -> editor.viewModel().statusProperty().get()
                .equals("pushed to 1 host(s)")));
        TableView<PushRow> pushes = robot.lookup("#config-push-table").queryTableView();
        assertThat(fx(() -> pushes.getItems().size())).isEqualTo(1);
        // the model is done before the table has drawn the row: wait for the cell the user sees
        await("the push table shows the row done", 30, () -> robot.from(pushes).lookup("done").tryQuery().isPresent());
        assertThat(Files.readString(hosts.prefix("edge-g").resolve("etc/sfu.toml"))).containsPattern("max_calls = 7\\b");
        shot(editor, "config-editor-pushed.png");
        fx(() -> {
            editor.close();
            return null;
        });

        // the Hosts screen's drift check: the host is as the console wrote it
        robot.clickOn("#check-drift");
        await("the drift verdict", 120, () -> call(() -> hostTable.getItems().size() == 1
                && hostTable.getItems().get(0).configProperty().get().equals("in sync")));
    }

    /** Double-clicks the row's value cell, types over it, Enter. */
    private static void typeValue(FxRobot robot, TableView<KeyRow> table, KeyRow row, String text) throws Exception {
        fx(() -> {
            table.scrollTo(row);
            table.getSelectionModel().select(row);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.doubleClickOn(cell(robot, table, row, "config-value-column"));
        await("the value's text field", 30, () -> robot.from(table).lookup(".text-field").tryQuery().isPresent());
        TextField field = robot.from(table).lookup(".text-field").queryAs(TextField.class);
        fx(() -> {
            field.selectAll();
            return null;
        });
        robot.write(text);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private static TableCell<KeyRow, String> cell(FxRobot robot, TableView<KeyRow> table, KeyRow row, String columnId) {
        return (TableCell<KeyRow, String>) robot.from(table).lookup((Node n) -> n instanceof TableCell<?, ?> c
                && c.getTableColumn() != null && columnId.equals(c.getTableColumn().getId()) && c.getTableRow() != null
                && c.getTableRow().getItem() == row).query();
    }

    private static String cellText(FxRobot robot, TableView<KeyRow> table, KeyRow row, String columnId) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        TableCell<KeyRow, String> c = cell(robot, table, row, columnId);
        return fx(() -> c.getText() == null ? "" : c.getText());
    }

    private static String refusal(String assignment) {
        try {
            NodeConfig.defaults().with(List.of(assignment));
        } catch (ConfigRefusedException e) {
            return e.problems().getFirst().reason();
        }
        throw new AssertionError(assignment + " was not refused");
    }

    private static void shot(Stage stage, String name) throws Exception {
        Path file = ProvisionWizardGuiTest.SHOTS.resolve(name);
        fx(() -> {
            Exports.png(stage.getScene().getRoot(), file);
            return null;
        });
        assertThat(file).isNotEmptyFile();
    }
}
