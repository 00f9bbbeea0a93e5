package io.sfufleet.console.provision.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * Progress of a rollout, per node, for the GUI and the CLI. Called on the rollout's thread, in order;
 * a listener must not block (the GUI hands the news to its own thread).
 */
public interface RolloutListener {
    /**
     * A step of a node's upgrade begins: connect, disk, check, upload, verify, unpack, drain, wait,
     * switch, restart, ready, version, undrain; on failure recover, rollback, restart, ready, undrain.
     */
    default void stage(RolloutPlan.Step step, String what) {
    }

    /** Upload progress of the bundle to the host. */
    default void uploaded(RolloutPlan.Step step, long bytes, long total) {
    }

    /** While draining: the calls and participants still on the node, and when the node ends them. */
    default void waitingForCalls(RolloutPlan.Step step, int calls, int participants, Instant deadline) {
    }

    /** The node runs the target version, ready and taking calls again. */
    default void done(RolloutPlan.Step step, Duration took) {
    }

    /** Left alone: it already runs the target version. */
    default void skipped(RolloutPlan.Step step) {
    }

    /**
     * The node's upgrade failed; the rollout stops after this.
     *
     * @param rolledBack true when the node was switched back to its previous release
     * @param message    what failed, what state the node was left in, and what to do
     */
    default void failed(RolloutPlan.Step step, boolean rolledBack, String message) {
    }

    /** Not touched because an earlier node failed. */
    default void notStarted(RolloutPlan.Step step) {
    }
}
