package io.sfufleet.demo;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinTokenSource;
import io.sfufleet.sfu.loadtest.client.ParticipantOptions;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The demo's calls, with real clients (ICE, DTLS, SRTP both ways): a stand-up with cameras, a
 * design review with a screen share, an all-hands where most listen. Every few seconds someone
 * in the all-hands leaves and someone joins, so the console has something to show.
 */
final class DemoCalls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DemoCalls.class.getName());

    private record Seat(String call, String name, boolean audio, boolean camera, boolean screen) {
    }

    private static final List<Seat> SEATS = List.of(
            new Seat("standup", "Alice", true, true, false),
            new Seat("standup", "Bob", true, true, false),
            new Seat("standup", "Chen", true, true, false),
            new Seat("standup", "Dana", true, true, false),
            new Seat("design-review", "Emil", true, true, true),
            new Seat("design-review", "Farah", true, true, false),
            new Seat("design-review", "Goran", true, false, false),
            new Seat("all-hands", "Host", true, true, false),
            new Seat("all-hands", "Ines", true, false, false),
            new Seat("all-hands", "Jon", false, false, false),
            new Seat("all-hands", "Kim", false, false, false),
            new Seat("all-hands", "Lena", false, false, false),
            new Seat("all-hands", "Mo", false, false, false));

    private final ClientRuntime runtime = ClientRuntime.loopback();
    // its own thread: a join blocks until media flows, and the runtime's timers are what make it flow
    private final java.util.concurrent.ScheduledExecutorService churner =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("demo-churn").factory());
    private final URI clientUrl;
    private final JoinTokenSource tokens;
    private final List<SyntheticParticipant> joined = new ArrayList<>();
    private int guests;

    DemoCalls(URI clientUrl, String joinSecret) {
        this.clientUrl = clientUrl;
        this.tokens = JoinTokenSource.secret(joinSecret);
    }

    /** Joins everyone; returns how many joined (a failure is logged and the demo goes on with the rest). */
    int joinAll() {
        for (Seat s : SEATS) {
            join(s);
        }
        churner.scheduleWithFixedDelay(this::churn, 12, 12, TimeUnit.SECONDS);
        return size();
    }

    synchronized int size() {
        return joined.size();
    }

    private void join(Seat s) {
        try {
            var options = ParticipantOptions.of(clientUrl, s.call(), s.name(), tokens.tokenFor(s.call(), s.name()))
                    .withMedia(s.audio(), s.camera(), s.screen());
            SyntheticParticipant p = SyntheticParticipant.join(runtime, options);
            synchronized (this) {
                joined.add(p);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "demo participant " + s.name() + " could not join " + s.call() + ": " + e.getMessage());
        }
    }

    /** One listener of the all-hands leaves, a new guest joins. */
    private void churn() {
        try {
            SyntheticParticipant leaving = null;
            synchronized (this) {
                List<SyntheticParticipant> listeners = joined.stream()
                        .filter(p -> p.options().callId().equals("all-hands") && !p.options().sendsAnything()).toList();
                if (!listeners.isEmpty()) {
                    leaving = listeners.get(ThreadLocalRandom.current().nextInt(listeners.size()));
                    joined.remove(leaving);
                }
            }
            if (leaving != null) {
                leaving.close();
            }
            join(new Seat("all-hands", "Guest-" + (++guests), false, false, false));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "demo churn failed", e);
        }
    }

    @Override
    public void close() {
        churner.shutdownNow();
        List<SyntheticParticipant> all;
        synchronized (this) {
            all = List.copyOf(joined);
            joined.clear();
        }
        all.forEach(SyntheticParticipant::close);
        runtime.close();
    }
}
