package io.sfufleet.console.alerts;

import io.sfufleet.console.monitor.NodeStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Evaluates the rules over the fleet (once a second, on the console's timer), raises new alerts,
 * clears those whose condition is gone, and tells listeners. Alerts left open by an earlier run are
 * picked up and cleared when their condition no longer holds.
 */
public final class AlertService {
    /** A change: {@code alert} was raised (active) or cleared. */
    public record Change(Alert alert, boolean raised) {
    }

    private final AlertStore store;
    private final AlertRulesEngine engine;
    private final Map<String, Alert> open = new HashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final List<ConditionSource> sources = new CopyOnWriteArrayList<>();
    // what active() returns: replaced after each evaluation, so readers (the UI pulse) never wait for the database
    private volatile List<Alert> activeSnapshot = List.of();

    public AlertService(AlertStore store, AlertRulesEngine engine) {
        this.store = store;
        this.engine = engine;
        for (Alert a : store.active()) {
            open.put(a.key(), a);
        }
        activeSnapshot = List.copyOf(open.values());
    }

    public void addListener(Consumer<Change> l) {
        listeners.add(l);
    }

    /** Conditions judged from something other than the nodes' snapshots (certificate records, say). */
    public void addSource(ConditionSource source) {
        sources.add(source);
    }

    /** The alerts holding now; never blocks. */
    public List<Alert> active() {
        return activeSnapshot;
    }

    public AlertStore store() {
        return store;
    }

    /** Applies the rules; returns the changes (also given to the listeners). */
    public List<Change> evaluate(List<NodeStatus> fleet, long nowMillis) {
        List<Change> changes = new ArrayList<>();
        synchronized (this) {
            Set<String> holding = new HashSet<>();
            List<Condition> conditions = new ArrayList<>(engine.conditions(fleet, nowMillis));
            for (ConditionSource source : sources) {
                conditions.addAll(source.conditions(nowMillis));
            }
            for (Condition c : conditions) {
                if (!holding.add(c.key())) {
                    continue;
                }
                if (!open.containsKey(c.key())) {
                    Alert a = store.raise(c, nowMillis);
                    open.put(c.key(), a);
                    changes.add(new Change(a, true));
                }
            }
            Set<String> nodes = new HashSet<>();
            fleet.forEach(s -> nodes.add(s.name()));
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                Alert a = it.next().getValue();
                // a node removed from the inventory takes its alerts with it
                if (!holding.contains(a.key()) || !nodes.contains(a.node())) {
                    store.clear(a.id(), nowMillis);
                    it.remove();
                    changes.add(new Change(new Alert(a.id(), a.node(), a.key(), a.kind(), a.severity(), a.message(),
                            a.raisedAtMillis(), nowMillis), false));
                }
            }
            if (!changes.isEmpty()) {
                activeSnapshot = List.copyOf(open.values());
            }
        }
        for (Change c : changes) {
            for (Consumer<Change> l : listeners) {
                l.accept(c);
            }
        }
        return changes;
    }
}
