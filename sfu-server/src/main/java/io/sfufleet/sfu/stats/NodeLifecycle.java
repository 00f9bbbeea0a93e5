package io.sfufleet.sfu.stats;

import io.sfufleet.model.api.NodeState;
import io.sfufleet.sfu.call.CallEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the node is in its life: starting, running, draining or stopping. Readable from any thread.
 * The node moves it from starting to running and to stopping; drains come from the call logic
 * ({@link CallEvents#nodeStateChanged}, on the media loop), so it is registered there as a listener.
 */
public final class NodeLifecycle implements CallEvents {
    /** Told after every change, on the thread that made it. */
    public interface Listener {
        void stateChanged(NodeState state, Long drainDeadlineMillis);
    }

    private enum Phase { STARTING, RUNNING, STOPPING }

    private volatile Phase phase = Phase.STARTING;
    /** Epoch ms of the drain deadline, 0 when not draining. Written by the media loop only. */
    private volatile long drainDeadlineMillis;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public NodeState state() {
        return switch (phase) {
            case STARTING -> NodeState.starting;
            case STOPPING -> NodeState.stopping;
            case RUNNING -> drainDeadlineMillis != 0 ? NodeState.draining : NodeState.running;
        };
    }

    /** The drain deadline while draining, else null (as the API shows it). */
    public Long drainDeadlineMillis() {
        long d = drainDeadlineMillis;
        return d == 0 || phase != Phase.RUNNING ? null : d;
    }

    public void running() {
        move(Phase.RUNNING);
    }

    public void stopping() {
        move(Phase.STOPPING);
    }

    private void move(Phase next) {
        if (phase == next || phase == Phase.STOPPING) {
            return;
        }
        phase = next;
        fire();
    }

    @Override
    public void nodeStateChanged(boolean draining, long deadlineMillis) {
        drainDeadlineMillis = draining ? Math.max(1, deadlineMillis) : 0;
        fire();
    }

    private void fire() {
        NodeState s = state();
        Long deadline = drainDeadlineMillis();
        for (Listener l : listeners) {
            l.stateChanged(s, deadline);
        }
    }
}
