package io.sfufleet.console.provision.rollout;

import java.util.List;

/** How a rollout ended, node by node, in plan order. */
public record RolloutResult(List<NodeResult> nodes) {
    public RolloutResult {
        nodes = List.copyOf(nodes);
    }

    /** What happened to one node. */
    public enum Status {
        UPGRADED, SKIPPED, FAILED, ROLLED_BACK, NOT_STARTED
    }

    /** @param message null when upgraded or skipped; else what failed and what to do */
    public record NodeResult(RolloutPlan.Step step, Status status, String message) {
    }

    /** True when every node was upgraded or already on the target. */
    public boolean ok() {
        return nodes.stream().allMatch(n -> n.status() == Status.UPGRADED || n.status() == Status.SKIPPED);
    }
}
