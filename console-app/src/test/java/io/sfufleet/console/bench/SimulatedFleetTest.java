package io.sfufleet.console.bench;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.fleet.FleetViewModel;
import io.sfufleet.console.ui.fleet.NodeRow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet table at the benchmark's scale, without timing anything: 100 simulated nodes (more than
 * OkHttp's default of 64 concurrent calls, which once left every node after the 64th unwatched)
 * show up as 100 rows, all up, with 1,000 calls and 10,000 participants in the totals, and every
 * node's quality sweep arrives. Simulated nodes only stand in for scale here; every functional
 * console test runs against a real node.
 */
class SimulatedFleetTest {
    static final int NODES = 100;
    static final int CALLS = 10;
    static final int PER_CALL = 10;

    @TempDir
    Path dir;

    @Test
    void aHundredNodesShowAsAHundredRowsWithTheFleetTotals() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(NODES, CALLS, PER_CALL);
             ConsoleCore core = TestConsole.core(dir, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS)) {
            for (SimulatedFleet.Node n : fleet.nodes()) {
                core.inventory().add(n.name(), n.apiUrl(), SimulatedFleet.TOKEN);
            }
            core.start();
            FleetViewModel vm = new FleetViewModel(core, UiExecutor.INLINE);
            await("100 rows up with 10,000 participants", 60, () -> {
                vm.refresh();
                return vm.nodesUpProperty().get() == NODES && vm.participantsProperty().get() == NODES * CALLS * PER_CALL;
            });
            assertThat(vm.rows()).hasSize(NODES);
            assertThat(vm.nodesProperty().get()).isEqualTo(NODES);
            assertThat(vm.nodesDownProperty().get()).isZero();
            assertThat(vm.callsProperty().get()).isEqualTo(NODES * CALLS);
            assertThat(vm.rows()).allSatisfy(r -> {
                assertThat(r.getHealth()).isEqualTo(NodeHealth.UP);
                assertThat(r.getCalls()).isEqualTo(CALLS);
                assertThat(r.getParticipants()).isEqualTo(CALLS * PER_CALL);
            });
            assertThat(vm.rows()).extracting(NodeRow::getName)
                    .contains(SimulatedFigures.nodeName(1), SimulatedFigures.nodeName(NODES));
            // the fleet's bandwidth is the sum of the nodes' (each node sums its generated calls)
            double rowsIn = vm.rows().stream().mapToDouble(r -> r.mbpsInProperty().get()).sum();
            assertThat(vm.mbpsInProperty().get()).isCloseTo(rowsIn, org.assertj.core.data.Offset.offset(1e-6));

            await("every node's quality sweep", 60, () -> core.fleet().statuses().stream()
                    .allMatch(s -> s.quality().size() == CALLS * PER_CALL));
            NodeStatus hot = core.fleet().statuses().stream()
                    .filter(s -> s.name().equals(SimulatedFigures.nodeName(SimulatedFigures.HOT_EVERY))).findFirst()
                    .orElseThrow();
            // the generator makes one participant of each hot node lossy, above the default 5 %
            assertThat(hot.quality()).filteredOn(q -> q.lossPercent() > 5).hasSize(1);
        }
    }
}
