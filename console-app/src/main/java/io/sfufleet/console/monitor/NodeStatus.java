package io.sfufleet.console.monitor;

import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.NodeInfo;
import java.util.List;

/**
 * The latest of one node, immutable: what the fleet table, the alerts and the CLI read.
 *
 * @param info          the last snapshot from the node; null before the first one. Kept when the
 *                      node goes away, so the row still shows what it was
 * @param calls         the calls of that snapshot
 * @param quality       each participant's worst loss and jitter, from the last quality sweep
 *                      (every few seconds; empty before the first)
 * @param updatedMillis when {@code info} arrived (console clock); 0 before the first
 * @param problem       why the health is not UP, in words; null when UP
 * @param sequence      grows with every change, so a screen can skip unchanged rows
 */
public record NodeStatus(String name, String apiUrl, NodeHealth health, NodeInfo info, List<CallSummary> calls,
                         List<ParticipantQuality> quality, long updatedMillis, long sinceMillis, String problem,
                         long sequence) {
    public NodeStatus {
        calls = List.copyOf(calls);
        quality = List.copyOf(quality);
    }

    static NodeStatus initial(String name, String apiUrl, long now) {
        return new NodeStatus(name, apiUrl, NodeHealth.CONNECTING, null, List.of(), List.of(), 0, now,
                "connecting", 0);
    }

    NodeStatus withHealth(NodeHealth h, String why, long now) {
        return new NodeStatus(name, apiUrl, h, info, calls, quality, updatedMillis,
                h == health ? sinceMillis : now, why, sequence + 1);
    }

    NodeStatus withSnapshot(NodeInfo i, List<CallSummary> c, NodeHealth h, String why, long now) {
        return new NodeStatus(name, apiUrl, h, i, c, quality, now, h == health ? sinceMillis : now, why,
                sequence + 1);
    }

    NodeStatus withQuality(List<ParticipantQuality> q) {
        return new NodeStatus(name, apiUrl, health, info, calls, q, updatedMillis, sinceMillis, problem,
                sequence + 1);
    }

    public int participants() {
        return info == null ? 0 : info.participants();
    }

    public boolean reachable() {
        return health.severity() == NodeHealth.Severity.OK || health.severity() == NodeHealth.Severity.WARN;
    }
}
