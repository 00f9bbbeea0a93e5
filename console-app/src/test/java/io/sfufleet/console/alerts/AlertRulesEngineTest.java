package io.sfufleet.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.monitor.ParticipantQuality;
import io.sfufleet.model.api.Capacity;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.model.signal.TrackKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesEngineTest {
    static final long NOW = 1_800_000_000_000L;
    private final AlertRulesEngine engine = new AlertRulesEngine(new AlertRules(80, 5, 30, Duration.ofSeconds(10)));

    static NodeInfo info(NodeState state, boolean ready, double cpuPercent, int cpus, Long drainDeadline,
                         int participants) {
        return new NodeInfo("n", "1.0", 1, NOW - 60_000, 60, state, drainDeadline, ready, cpuPercent, 10.0, 1L << 28,
                10L, 1024L, 1000, 1000, 10, 10, participants > 0 ? 1 : 0, participants, participants,
                new Capacity(100, 50), 8443, "127.0.0.1", cpus);
    }

    static NodeStatus status(String name, NodeHealth h, NodeInfo info, List<CallDetail> details) {
        return new NodeStatus(name, "http://x", h, info, List.of(), ParticipantQuality.of(details), NOW, NOW, h == NodeHealth.UP ? null : "why",
                1);
    }

    static CallDetail call(double lossPercent, double jitterMillis) {
        var received = new ReceivedTrackStats("t1", "p2", TrackKind.audio, 1234, 32000, 100, 1000, lossPercent,
                jitterMillis, null, 0, 0, null);
        var p = new ParticipantDetail("p1", "Alice", NOW, "127.0.0.1", 5000, CandidateType.udp, "AEAD_AES_128_GCM",
                ConnectionState.connected, ConnectionState.connected, List.of(), List.of(received));
        return new CallDetail("c1", NOW, List.of(p));
    }

    @Test
    void aHealthyFleetHasNoConditions() {
        var fine = status("a", NodeHealth.UP, info(NodeState.running, true, 50, 1, null, 2), List.of(call(1, 5)));
        assertThat(engine.conditions(List.of(fine), NOW)).isEmpty();
    }

    @Test
    void anUnreachableNodeIsOneCriticalConditionAndItsStaleFiguresAreNotJudged() {
        var gone = status("a", NodeHealth.UNREACHABLE, info(NodeState.running, true, 400, 1, null, 2),
                List.of(call(50, 500)));
        var c = engine.conditions(List.of(gone), NOW);
        assertThat(c).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(AlertKind.NODE_UNREACHABLE);
            assertThat(x.kind().severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(x.message()).contains("a is unreachable");
        });
    }

    @Test
    void notReadyCpuAboveThresholdOfAllCoresAndParticipantQuality() {
        // 170 % of one core on 2 cores is 85 % of the node: above 80
        var busy = status("a", NodeHealth.NOT_READY, info(NodeState.running, false, 170, 2, null, 2),
                List.of(call(7.5, 45)));
        assertThat(engine.conditions(List.of(busy), NOW)).extracting(Condition::kind).containsExactlyInAnyOrder(
                AlertKind.NODE_NOT_READY, AlertKind.CPU_HIGH, AlertKind.PARTICIPANT_LOSS, AlertKind.PARTICIPANT_JITTER);
        // 150 % on 2 cores is 75 %: below
        var ok = status("a", NodeHealth.UP, info(NodeState.running, true, 150, 2, null, 2), List.of(call(5, 30)));
        assertThat(engine.conditions(List.of(ok), NOW)).isEmpty();
    }

    @Test
    void aDrainPastItsDeadlineWithParticipantsLeftIsOverdueOnlyAfterTheGrace() {
        var within = status("a", NodeHealth.DRAINING, info(NodeState.draining, false, 10, 1, NOW - 5_000, 3), List.of());
        assertThat(engine.conditions(List.of(within), NOW)).isEmpty();
        var overdue = status("a", NodeHealth.DRAINING, info(NodeState.draining, false, 10, 1, NOW - 15_000, 3),
                List.of());
        assertThat(engine.conditions(List.of(overdue), NOW)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("past its drain deadline by 15 s with 3 participants"));
        var empty = status("a", NodeHealth.DRAINING, info(NodeState.draining, false, 10, 1, NOW - 15_000, 0), List.of());
        assertThat(engine.conditions(List.of(empty), NOW)).isEmpty();
    }
}
