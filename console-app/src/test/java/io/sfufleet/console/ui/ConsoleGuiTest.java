package io.sfufleet.console.ui;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertKind;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.ui.call.ParticipantRow;
import io.sfufleet.console.ui.fleet.NodeRow;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console's window (headless Monocle) against a real node with real participants: the fleet
 * table, the call's participants, a kick through the GUI, and the unreachable alert when the node stops.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleGuiTest {
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;
    static SfuNode node;
    static ConsoleCore core;
    static SyntheticParticipant alice;
    static SyntheticParticipant bob;
    static SyntheticParticipant carol;
    static MainView main;
    static Pulse pulse;

    @BeforeAll
    static void startNodeAndParticipants() throws Exception {
        node = TestNodes.start();
        // only the unreachable alert is under test: a busy test machine must not raise CPU or loss alerts beside it
        core = TestConsole.core(dir, MonitorSettings.DEFAULTS,
                new AlertRules(100, 100, 100_000, java.time.Duration.ofSeconds(10))).start();
        TestConsole.addNode(core, "berlin-1", node);
        alice = TestConsole.participant(node, "weekly", "Alice");
        bob = TestConsole.participant(node, "weekly", "Bob");
        carol = TestConsole.participant(node, "weekly", "Carol");
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, carol, core, node}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Start
    void start(Stage stage) {
        // TestFX gives each test a fresh window; the previous one's pulse must stop with it
        if (pulse != null) {
            pulse.stop();
        }
        pulse = new Pulse(javafx.util.Duration.seconds(1));
        main = new MainView(core, new FxUiExecutor(core.workers()), pulse);
        Scene scene = new Scene(main, 1280, 800);
        scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
        pulse.start();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void theFleetTableShowsTheNodeUpWithItsParticipants(FxRobot robot) throws Exception {
        TableView<NodeRow> table = robot.lookup("#fleet-table").queryTableView();
        await("the node's row shows 3 participants", 30, () -> call(() -> table.getItems().size() == 1
                && table.getItems().get(0).getParticipants() == 3 && table.getItems().get(0).getCalls() == 1));
        NodeRow row = fx(() -> table.getItems().get(0));
        assertThat(fx(row::getName)).isEqualTo("berlin-1");
        assertThat(fx(row::healthText)).isEqualTo("UP");
        assertThat(fx(() -> robot.lookup("#fleet-totals").queryLabeled().getText()))
                .contains("1 nodes: 1 up, 0 down").contains("1 calls").contains("3 participants");
        await("bandwidth in the row", 30, () -> call(() -> row.mbpsInProperty().get() > 0));
        snapshot(robot, "fleet.png");

        Path csv = dir.resolve("fleet.csv");
        fx(() -> {
            Exports.csv(table, csv);
            return null;
        });
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("Node,Address,Version,State,Uptime,CPU %,Memory,In Mb/s,Out Mb/s,"
                + "Packets/s,Calls,Participants,Alerts").doesNotContain("Last minute");
        assertThat(lines.get(1)).startsWith("berlin-1,http://127.0.0.1:" + node.adminPort() + ",").contains(",UP,");
    }

    @Test
    @Order(2)
    void openingTheCallShowsItsParticipantsAndKickRemovesOneFromTheRealCall(FxRobot robot) throws Exception {
        TableView<NodeRow> fleet = robot.lookup("#fleet-table").queryTableView();
        await("the node's row", 30, () -> call(() -> fleet.getItems().size() == 1));
        robot.clickOn((Node) robot.from(fleet).lookup("berlin-1").query());
        await("the row is selected", 10, () -> call(() -> fleet.getSelectionModel().getSelectedItem() != null));
        robot.clickOn("#open-node");
        await("the node tab", 10, () -> call(() -> robot.lookup("#node-calls").tryQuery().isPresent()));
        TableView<io.sfufleet.console.ui.node.CallRow> calls = robot.lookup("#node-calls").queryTableView();
        await("the call in the node's table", 30, () -> call(() -> calls.getItems().size() == 1));
        await("chart points", 30, () -> call(() -> !robot.lookup("#cpu-chart").queryAs(
                javafx.scene.chart.LineChart.class).getData().isEmpty()));
        snapshot(robot, "node.png");
        robot.clickOn((Node) robot.from(calls).lookup("weekly").query());
        await("the call is selected", 10, () -> call(() -> calls.getSelectionModel().getSelectedItem() != null));
        robot.clickOn("#open-call");
        await("the call tab", 10, () -> call(() -> robot.lookup("#call-participants").tryQuery().isPresent()));
        TableView<ParticipantRow> people = robot.lookup("#call-participants").queryTableView();
        await("three participants with media", 30, () -> call(() -> people.getItems().size() == 3
                && people.getItems().stream().allMatch(p -> p.kbpsDownProperty().get() > 0)));
        assertThat(fx(() -> people.getItems().stream().map(p -> p.nameProperty().get()).toList()))
                .containsExactlyInAnyOrder("Alice", "Bob", "Carol");

        robot.clickOn((Node) robot.from(people).lookup("Bob").query());
        await("Bob is selected", 10, () -> call(() -> people.getSelectionModel().getSelectedItem() != null
                && people.getSelectionModel().getSelectedItem().nameProperty().get().equals("Bob")));
        await("Bob's tracks", 10, () -> call(() -> robot.lookup("#participant-tracks").queryTableView().getItems().size() == 6));
        snapshot(robot, "call.png");
        robot.clickOn("#kick-participant");
        await("the confirmation", 10, () -> call(() -> robot.lookup("#confirm-dialog").tryQuery().isPresent()));
        robot.clickOn("OK");
        await("Bob is out of the real call", 30, () -> bob.endedReason() != null);
        assertThat(bob.endedReason()).contains("kicked");
        await("the node agrees", 30, () -> core.fleet().monitor("berlin-1").orElseThrow().client().call("weekly").participants().size() == 2);
        await("the table has two", 30, () -> call(() -> people.getItems().size() == 2));
        assertThat(core.audit().latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("kick");
            assertThat(e.target()).isEqualTo("weekly/" + bob.participantId());
            assertThat(e.result()).startsWith("ok");
            assertThat(e.who()).isEqualTo("tester");
        });
    }

    @Test
    @Order(3)
    void stoppingTheNodeRaisesTheUnreachableAlertWithinFiveSeconds(FxRobot robot) throws Exception {
        node.close();
        long stopped = System.nanoTime();
        TableView<io.sfufleet.console.alerts.Alert> active = robot.lookup("#active-alerts").queryTableView();
        await("the alert is on screen", 10, () -> call(() -> active.getItems().stream()
                .anyMatch(a -> a.kind() == AlertKind.NODE_UNREACHABLE)
                && main.tabs().getTabs().stream().anyMatch(t -> t.getText().equals("Alerts (1)"))));
        long millis = (System.nanoTime() - stopped) / 1_000_000;
        assertThat(millis).as("from stopping the node to the alert on screen").isLessThan(5000);
        assertThat(core.alerts().active()).singleElement()
                .satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.NODE_UNREACHABLE));
        TableView<NodeRow> table = robot.lookup("#fleet-table").queryTableView();
        await("the row says so", 10, () -> call(() -> table.getItems().get(0).healthText().startsWith("UNREACHABLE")));
        robot.clickOn("Alerts (1)");
        await("the active alerts table", 10, () -> call(() ->
                robot.lookup("#active-alerts").queryTableView().getItems().size() == 1));
        snapshot(robot, "alerts.png");
    }

    private static boolean call(Callable<Boolean> c) {
        try {
            return fx(c);
        } catch (Exception e) {
            return false;
        }
    }

    /** Saves what the window shows, for a person to look at (target/screenshots). */
    private static void snapshot(FxRobot robot, String name) throws Exception {
        Node root = fx(() -> main.getScene().getRoot());
        fx(() -> {
            Exports.png(root, SHOTS.resolve(name));
            return null;
        });
        assertThat(SHOTS.resolve(name)).isNotEmptyFile();
    }
}
