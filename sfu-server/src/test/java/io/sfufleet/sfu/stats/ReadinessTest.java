package io.sfufleet.sfu.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.NodeState;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    /** A process using {@code cpuPercent} (100 = one core) on a 4-CPU machine. */
    private static ProcessSample cpu(double cpuPercent) {
        return new ProcessSample(cpuPercent, 10, 1L, 1L, 1L, 4);
    }

    @Test
    void readyWhenRunningBelowCapacityAndCpuLimit() {
        Health h = new Readiness(85).evaluate(NodeState.running, 3, 10, cpu(300));
        assertThat(h.status()).isEqualTo(HealthStatus.ok);
        assertThat(h.checks()).containsExactly(java.util.Map.entry("capacity", "ok"), java.util.Map.entry("cpu", "ok"),
                java.util.Map.entry("state", "ok"));
    }

    @Test
    void eachCheckNamesItsReason() {
        Readiness r = new Readiness(85);
        assertThat(r.evaluate(NodeState.draining, 0, 10, cpu(0)).checks()).containsEntry("state", "draining");
        assertThat(r.evaluate(NodeState.starting, 0, 10, cpu(0)).checks()).containsEntry("state", "starting");
        assertThat(r.evaluate(NodeState.stopping, 0, 10, cpu(0)).checks()).containsEntry("state", "stopping");
        Health full = r.evaluate(NodeState.running, 10, 10, cpu(0));
        assertThat(full.status()).isEqualTo(HealthStatus.fail);
        assertThat(full.checks()).containsEntry("capacity", "overloaded").containsEntry("state", "ok");
        // 85 % of 4 cores is 340 % of one
        assertThat(r.evaluate(NodeState.running, 0, 10, cpu(341)).checks()).containsEntry("cpu", "overloaded");
        assertThat(r.evaluate(NodeState.running, 0, 10, cpu(340)).checks()).containsEntry("cpu", "ok");
    }

    @Test
    void theCpuLimitChangesOnReload() {
        Readiness r = new Readiness(85);
        r.setOverloadCpuPercent(100);
        assertThat(r.evaluate(NodeState.running, 0, 10, cpu(400)).status()).isEqualTo(HealthStatus.ok);
        r.setOverloadCpuPercent(10);
        assertThat(r.evaluate(NodeState.running, 0, 10, cpu(41)).status()).isEqualTo(HealthStatus.fail);
        assertThatThrownBy(() -> r.setOverloadCpuPercent(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
