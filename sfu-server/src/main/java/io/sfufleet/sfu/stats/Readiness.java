package io.sfufleet.sfu.stats;

import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.NodeState;
import java.util.Map;

/**
 * Whether new calls should be placed on the node: the one rule behind {@code /readyz} and
 * {@code NodeInfo.ready}. Checks: {@code state} (ok, or starting, draining, stopping),
 * {@code capacity} (overloaded when the node hosts {@code limits.max_calls} calls) and {@code cpu}
 * (overloaded when the process uses more than {@code limits.overload_cpu_percent} of all its CPUs;
 * 100 therefore never trips it).
 */
public final class Readiness {
    public static final String OK = "ok";
    public static final String OVERLOADED = "overloaded";

    /** Percent of all the node's CPUs. Changed by a configuration reload. */
    private volatile double overloadCpuPercent;

    public Readiness(double overloadCpuPercent) {
        setOverloadCpuPercent(overloadCpuPercent);
    }

    public void setOverloadCpuPercent(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("overload CPU percent must be 0 to 100, not " + percent);
        }
        this.overloadCpuPercent = percent;
    }

    public Health evaluate(NodeState state, int calls, int maxCalls, ProcessSample process) {
        String stateCheck = state == NodeState.running ? OK : state.name();
        String capacity = calls >= maxCalls ? OVERLOADED : OK;
        String cpu = process.cpuPercentOfAllProcessors() > overloadCpuPercent ? OVERLOADED : OK;
        boolean ok = stateCheck.equals(OK) && capacity.equals(OK) && cpu.equals(OK);
        return new Health(ok ? HealthStatus.ok : HealthStatus.fail,
                Map.of("state", stateCheck, "capacity", capacity, "cpu", cpu));
    }
}
