package io.sfufleet.console.ui.fleet;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet view model against a real node with real participants, and a node that is not there. */
class FleetViewModelTest {
    @TempDir
    Path dir;

    @Test
    void rowsTotalsFilterAndInventoryCommands() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (SfuNode node = TestNodes.start();
             ConsoleCore core = TestConsole.core(dir, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS).start();
             SyntheticParticipant a = TestConsole.participant(node, "vm-call", "Alice");
             SyntheticParticipant b = TestConsole.participant(node, "vm-call", "Bob")) {
            TestConsole.addNode(core, "live", node);
            FleetViewModel vm = new FleetViewModel(core, UiExecutor.INLINE);
            List<String> errors = new ArrayList<>();
            vm.addNode("gone", "http://127.0.0.1:" + deadPort, "some-token", errors::add);
            assertThat(errors).isEmpty();

            await("both rows with their states and the participants", 30, () -> {
                vm.refresh();
                return vm.rows().size() == 2 && row(vm, "live").getHealth() == NodeHealth.UP
                        && row(vm, "live").getParticipants() == 2 && row(vm, "gone").getHealth() == NodeHealth.UNREACHABLE;
            });
            assertThat(vm.nodesProperty().get()).isEqualTo(2);
            assertThat(vm.nodesUpProperty().get()).isEqualTo(1);
            assertThat(vm.nodesDownProperty().get()).isEqualTo(1);
            assertThat(vm.callsProperty().get()).isEqualTo(1);
            assertThat(vm.participantsProperty().get()).isEqualTo(2);
            await("media shows in the bandwidth and the sparkline", 30, () -> {
                vm.refresh();
                return row(vm, "live").mbpsInProperty().get() > 0 && row(vm, "live").sparklineProperty().get().length >= 2;
            });
            assertThat(row(vm, "gone").healthText()).startsWith("UNREACHABLE: ");

            var byParticipants = new javafx.collections.transformation.SortedList<>(vm.visibleRows(),
                    java.util.Comparator.comparingInt(NodeRow::getParticipants).reversed());
            assertThat(byParticipants).extracting(NodeRow::getName).containsExactly("live", "gone");
            row(vm, "gone").participantsProperty().set(5); // as a refresh would: the order follows the figures
            assertThat(byParticipants).extracting(NodeRow::getName).containsExactly("gone", "live");
            row(vm, "gone").participantsProperty().set(0);

            vm.filterProperty().set("unreach");
            assertThat(vm.visibleRows()).extracting(NodeRow::getName).containsExactly("gone");
            vm.filterProperty().set("");
            assertThat(vm.visibleRows()).hasSize(2);

            vm.addNode("bad name!", "http://127.0.0.1:1", "t", errors::add);
            vm.addNode("x", "ftp://nope", "t", errors::add);
            assertThat(errors).hasSize(2);
            assertThat(errors.get(0)).contains("node name");
            assertThat(errors.get(1)).contains("not an http");

            List<String> done = new ArrayList<>();
            vm.drain("live", java.time.Duration.ofMinutes(10), "10m", "kernel upgrade", done::add, errors::add);
            await("the row shows the drain", 30, () -> {
                vm.refresh();
                return row(vm, "live").getHealth() == NodeHealth.DRAINING;
            });
            assertThat(row(vm, "live").healthText()).startsWith("DRAINING: draining until ");
            vm.undrain("live", done::add, errors::add);
            await("the row is up again", 30, () -> {
                vm.refresh();
                return row(vm, "live").getHealth() == NodeHealth.UP;
            });
            assertThat(done).hasSize(2);
            assertThat(done.get(0)).startsWith("drain live: ok");
            assertThat(done.get(1)).startsWith("undrain live: ok");
            assertThat(errors).hasSize(2);

            vm.removeNode("gone", errors::add);
            vm.refresh();
            assertThat(vm.rows()).extracting(NodeRow::getName).containsExactly("live");
            assertThat(core.audit().latest(10)).extracting(e -> e.action() + " " + e.node() + " " + e.result().replaceAll(":.*", ""))
                    .contains("nodes.add gone ok", "nodes.remove gone ok", "drain live ok", "undrain live ok");
            assertThat(core.audit().latest(10)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("drain");
                assertThat(e.target()).isEqualTo("deadline 10m");
            });
        }
    }

    private static NodeRow row(FleetViewModel vm, String name) {
        return vm.rows().stream().filter(r -> r.getName().equals(name)).findFirst().orElseThrow();
    }
}
