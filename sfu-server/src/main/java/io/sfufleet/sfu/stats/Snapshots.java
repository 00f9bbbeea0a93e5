package io.sfufleet.sfu.stats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest {@link NodeSnapshot}, published through a volatile field: the media loop writes it
 * after each once-a-second tick (and after an admin action), any thread reads it without waiting.
 * A reader therefore lags the node by at most one tick.
 */
public final class Snapshots {
    private final SnapshotBuilder builder;
    private final List<Consumer<NodeSnapshot>> tickListeners = new CopyOnWriteArrayList<>();
    private volatile NodeSnapshot latest;
    private volatile long lastTickNanos = System.nanoTime();

    /** Builds the first snapshot at once; call on the media loop. */
    public Snapshots(SnapshotBuilder builder) {
        this.builder = builder;
        this.latest = builder.tick();
    }

    /** Told of each tick's snapshot on the media loop; must only hand it on. */
    public void addTickListener(Consumer<NodeSnapshot> l) {
        tickListeners.add(l);
    }

    /** The once-a-second tick; media loop only (register it with {@code CallManager.addTickListener}). */
    public void onTick() {
        NodeSnapshot s = builder.tick();
        latest = s;
        lastTickNanos = System.nanoTime();
        for (Consumer<NodeSnapshot> l : tickListeners) {
            l.accept(s);
        }
    }

    /** Rebuilds the snapshot now, after something changed the calls; media loop only. */
    public NodeSnapshot refresh() {
        NodeSnapshot s = builder.refresh();
        latest = s;
        return s;
    }

    public NodeSnapshot latest() {
        return latest;
    }

    /** When the media loop last ran its tick ({@link System#nanoTime()}); the liveness probe watches it. */
    public long lastTickNanos() {
        return lastTickNanos;
    }
}
