package io.sfufleet.console.ui.rollout;

import io.sfufleet.console.provision.rollout.RolloutPlan;
import java.time.Instant;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One host of the plan and how far its upgrade got. Changed only on the FX thread (the view model
 * posts the rollout's news there).
 */
public final class RolloutRow {
    private final RolloutPlan.Step step;
    private final StringProperty version = new SimpleStringProperty();
    private final StringProperty stage = new SimpleStringProperty();
    private final StringProperty detail = new SimpleStringProperty("");
    /** While the node drains: when it ends the calls left (the countdown is recomputed each second). */
    private Instant deadline;
    private int calls;
    private int participants;
    private boolean finished;

    RolloutRow(RolloutPlan.Step step) {
        this.step = step;
        version.set(step.skip() ? step.current() + " (already)" : step.current() + " → " + step.target());
        stage.set(step.skip() ? "skip" : "planned");
    }

    public String host() { return step.host(); }
    public String node() { return step.node(); }
    public RolloutPlan.Step step() { return step; }
    public StringProperty versionProperty() { return version; }
    /** planned, skip, one of the service's stages (connect … undrain), then done, failed, rolled back or not started. */
    public StringProperty stageProperty() { return stage; }
    public StringProperty detailProperty() { return detail; }

    boolean finished() { return finished; }

    void stage(String what) {
        deadline = null;
        stage.set(what);
        detail.set("");
    }

    void waiting(int calls, int participants, Instant deadline, Instant now) {
        this.calls = calls;
        this.participants = participants;
        this.deadline = deadline;
        tick(now);
    }

    /** The countdown of a draining node. */
    void tick(Instant now) {
        if (deadline == null || finished) {
            return;
        }
        long left = Math.max(0, deadline.getEpochSecond() - now.getEpochSecond());
        detail.set("waiting for " + calls + (calls == 1 ? " call" : " calls") + " (" + participants
                + " participants); the node ends them in " + left / 60 + " min " + left % 60 + " s");
    }

    void uploaded(long bytes, long total) {
        detail.set(bytes / 1_048_576 + " of " + total / 1_048_576 + " MiB uploaded");
    }

    void finish(String what, String message) {
        deadline = null;
        finished = true;
        stage.set(what);
        detail.set(message == null ? "" : message);
    }

    void current(String now) {
        version.set(now);
    }
}
