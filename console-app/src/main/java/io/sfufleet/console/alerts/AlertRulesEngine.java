package io.sfufleet.console.alerts;

import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.monitor.ParticipantQuality;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rules as a pure function of the fleet's statuses: which conditions hold now. */
public final class AlertRulesEngine {
    private final AlertRules rules;

    public AlertRulesEngine(AlertRules rules) {
        this.rules = rules;
    }

    public AlertRules rules() {
        return rules;
    }

    public List<Condition> conditions(List<NodeStatus> fleet, long nowMillis) {
        List<Condition> out = new ArrayList<>();
        for (NodeStatus s : fleet) {
            String n = s.name();
            if (s.health().severity() == NodeHealth.Severity.DOWN) {
                out.add(new Condition(n, n + "/down", AlertKind.NODE_UNREACHABLE,
                        n + " is " + s.health().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + s.problem()));
                continue; // its figures are stale: judging them would raise alerts about the past
            }
            NodeInfo info = s.info();
            if (info == null) {
                continue;
            }
            if (s.health() == NodeHealth.NOT_READY) {
                out.add(new Condition(n, n + "/not-ready", AlertKind.NODE_NOT_READY,
                        n + " reports not ready (state " + info.state() + ")"));
            }
            double cpu = info.cpuPercent() / Math.max(1, info.availableProcessors());
            if (cpu > rules.cpuPercent()) {
                out.add(new Condition(n, n + "/cpu", AlertKind.CPU_HIGH, String.format(Locale.ROOT,
                        "%s uses %.0f %% of its CPUs (threshold %.0f %%)", n, cpu, rules.cpuPercent())));
            }
            if (info.state() == NodeState.draining && info.drainDeadlineMillis() != null
                    && nowMillis > info.drainDeadlineMillis() + rules.drainGrace().toMillis() && info.participants() > 0) {
                out.add(new Condition(n, n + "/drain", AlertKind.DRAIN_OVERDUE, String.format(Locale.ROOT,
                        "%s is past its drain deadline by %d s with %d participants left", n,
                        (nowMillis - info.drainDeadlineMillis()) / 1000, info.participants())));
            }
            for (ParticipantQuality q : s.quality()) {
                quality(n, q, out);
            }
        }
        return out;
    }

    private void quality(String node, ParticipantQuality p, List<Condition> out) {
        double loss = p.lossPercent();
        double jitter = p.jitterMillis();
        if (loss <= rules.lossPercent() && jitter <= rules.jitterMillis()) {
            return; // the common case, once a second for every participant of the fleet: build no strings
        }
        String callId = p.callId();
        String who = (p.name() == null ? p.participantId() : p.name() + " (" + p.participantId() + ")")
                + " in " + callId + " on " + node;
        String base = node + "/" + callId + "/" + p.participantId();
        if (loss > rules.lossPercent()) {
            out.add(new Condition(node, base + "/loss", AlertKind.PARTICIPANT_LOSS, String.format(Locale.ROOT,
                    "%s: %.1f %% loss (threshold %.1f %%)", who, loss, rules.lossPercent())));
        }
        if (jitter > rules.jitterMillis()) {
            out.add(new Condition(node, base + "/jitter", AlertKind.PARTICIPANT_JITTER, String.format(Locale.ROOT,
                    "%s: %.0f ms jitter (threshold %.0f ms)", who, jitter, rules.jitterMillis())));
        }
    }
}
