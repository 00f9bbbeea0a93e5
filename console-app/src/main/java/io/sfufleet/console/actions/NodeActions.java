package io.sfufleet.console.actions;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.ReloadResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The admin actions. Each one is a blocking request (call it off the UI thread), writes one audit
 * entry with its result, ok or error, and returns the node's message or throws with the reason.
 */
public final class NodeActions {
    private final AuditLog audit;
    private final Clock clock;

    public NodeActions(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** @param deadline how long calls may go on; what is typed ("10m") goes into the audit entry */
    public String drain(String node, NodeClient c, Duration deadline, String typed, String reason) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the drain deadline must be positive, not " + typed);
        }
        Instant at = Instant.now(clock).plus(deadline);
        return act(node, "drain", "deadline " + typed, () -> message(c.drain(at, reason)));
    }

    public String undrain(String node, NodeClient c) {
        return act(node, "undrain", null, () -> message(c.undrain()));
    }

    public String mute(String node, NodeClient c, String call, String participant, MuteKind kind) {
        if (kind == null || kind == MuteKind.unknown) {
            throw new IllegalArgumentException("the mute kind must be audio, video or all");
        }
        return act(node, "mute", call + "/" + participant + " " + kind,
                () -> message(c.mute(call, participant, kind)));
    }

    public String kick(String node, NodeClient c, String call, String participant, String reason) {
        return act(node, "kick", call + "/" + participant, () -> message(c.kick(call, participant, reason)));
    }

    public String endCall(String node, NodeClient c, String call, String reason) {
        return act(node, "end-call", call, () -> message(c.endCall(call, reason)));
    }

    public String reload(String node, NodeClient c) {
        return act(node, "reload", null, () -> {
            ReloadResult r = c.reload();
            return r.unchanged() ? "unchanged"
                    : "applied " + r.applied() + (r.needsRestart().isEmpty() ? "" : ", needs restart " + r.needsRestart());
        });
    }

    /** Runs an action, audits it with its result either way. */
    public String act(String node, String action, String target, Supplier<String> call) {
        try {
            String message = call.get();
            audit.record(node, action, target, "ok" + (message == null ? "" : ": " + message));
            return message;
        } catch (RuntimeException e) {
            audit.record(node, action, target, "error: " + e.getMessage());
            throw e;
        }
    }

    private static String message(ActionResult r) {
        if (!r.ok()) {
            throw new IllegalStateException("the node did not do it" + (r.message() == null ? "" : ": " + r.message()));
        }
        return r.message();
    }
}
