package io.sfufleet.console.ui.node;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's screen: live points from memory, the 1 h range from the history database, its calls. */
class NodeViewModelTest {
    @TempDir
    Path dir;

    @Test
    void liveAndHistoricalPointsAndTheCalls() throws Exception {
        try (SfuNode node = TestNodes.start();
             ConsoleCore core = TestConsole.core(dir, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS).start();
             SyntheticParticipant a = TestConsole.participant(node, "review", "Ann");
             SyntheticParticipant b = TestConsole.participant(node, "review", "Ben")) {
            TestConsole.addNode(core, "n1", node);
            NodeViewModel vm = new NodeViewModel(core, UiExecutor.INLINE, "n1");
            await("a few live points with traffic and the call", 30, () -> {
                vm.refresh();
                List<Sample> p = vm.pointsProperty().get();
                return p.size() >= 3 && p.getLast().bytesInPerSecond() > 0 && vm.calls().size() == 1;
            });
            CallRow call = vm.calls().getFirst();
            assertThat(call.callId()).isEqualTo("review");
            assertThat(call.participantsProperty().get()).isEqualTo(2);
            assertThat(vm.summaryProperty().get()).contains("1 calls, 2 participants");
            int live = vm.pointsProperty().get().size();

            vm.rangeProperty().set(ChartRange.HOUR);
            List<Sample> hour = vm.pointsProperty().get();
            assertThat(hour).as("read back from the database, in 10 s buckets").isNotEmpty()
                    .allSatisfy(s -> assertThat(s.atMillis() % 10_000).isZero());
            assertThat(hour.size()).isLessThanOrEqualTo(live);
            assertThat(hour).anySatisfy(s -> assertThat(s.bytesInPerSecond()).isPositive());

            vm.rangeProperty().set(ChartRange.LIVE_5_MIN);
            assertThat(vm.pointsProperty().get().size()).isGreaterThanOrEqualTo(live);
        }
    }
}
