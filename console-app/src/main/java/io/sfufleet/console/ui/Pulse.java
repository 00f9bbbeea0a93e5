package io.sfufleet.console.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

/**
 * Once a second on the FX thread, every open screen applies the latest snapshots. This is the only
 * way live data reaches the UI: no per-event {@code Platform.runLater}, so a busy fleet costs one
 * update per screen per second however many events arrive.
 */
public final class Pulse {
    private static final Logger LOG = Logger.getLogger(Pulse.class.getName());
    private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final Timeline timeline;
    private long beats;

    public Pulse(Duration period) {
        timeline = new Timeline(new KeyFrame(period, e -> beat()));
        timeline.setCycleCount(Timeline.INDEFINITE);
    }

    public void start() {
        timeline.play();
    }

    public void stop() {
        timeline.stop();
    }

    public void subscribe(Runnable r) {
        subscribers.add(r);
    }

    public void unsubscribe(Runnable r) {
        subscribers.remove(r);
    }

    public long beats() {
        return beats;
    }

    /** One beat now (the timeline calls this; tests may too, on the FX thread). */
    public void beat() {
        beats++;
        for (Runnable r : subscribers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // one broken screen must not stop the others from updating
                LOG.log(Level.WARNING, "a screen failed to apply the latest snapshot", e);
            }
        }
    }
}
