package io.sfufleet.sfu.loadtest.scenario;

import io.sfufleet.sfu.loadtest.client.JoinFailedException;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import io.sfufleet.sfu.loadtest.client.ParticipantStats;
import io.sfufleet.sfu.loadtest.media.DelayHistogram;
import io.sfufleet.sfu.loadtest.server.ParticipantFactory;
import io.sfufleet.sfu.loadtest.server.ServerDelay;
import io.sfufleet.sfu.loadtest.server.ServerProbe;
import io.sfufleet.sfu.loadtest.server.ServerSample;
import io.sfufleet.sfu.loadtest.server.ServerTotals;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Scenario} against one server: joins the participants at the ramp rate (a few
 * joins in flight at once), holds the load for the duration while sampling clients and server
 * once a second, then stops the senders, lets the last packets land and the server's counters
 * settle, reads both sets of counters, and makes everybody leave. Every wait has a deadline; the
 * run's length is bounded by the ramp, the duration and fixed slack.
 */
public final class ScenarioRunner {
    private static final System.Logger LOG = System.getLogger(ScenarioRunner.class.getName());
    /** Joins in flight at once: joins are mostly waiting (ICE, DTLS), but each costs a handshake's CPU. */
    private static final int CONCURRENT_JOINS = 8;
    /** After the senders stop: packets in flight land, and the node's once-a-second stats tick passes twice. */
    private static final Duration SETTLE = Duration.ofMillis(2_500);
    private static final int MAX_ERRORS = 40;

    private final ParticipantFactory factory;
    private final ServerProbe probe;
    private final String runId;

    /** @param runId prefix of the call ids ({@code runId-c0}, ...), so runs against one server do not mix */
    public ScenarioRunner(ParticipantFactory factory, ServerProbe probe, String runId) {
        this.factory = factory;
        this.probe = probe;
        this.runId = runId;
    }

    public List<String> callIds(Scenario s) {
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < s.calls(); c++) {
            ids.add(runId + "-c" + c);
        }
        return ids;
    }

    public LoadResult run(Scenario s) throws InterruptedException {
        long startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        List<LoadParticipant> joined = Collections.synchronizedList(new ArrayList<>());
        List<Long> joinMillis = Collections.synchronizedList(new ArrayList<>());
        Set<String> errors = Collections.synchronizedSet(new LinkedHashSet<>());
        int[] failures = new int[1];
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        String server = probe.describe();
        List<String> calls = callIds(s);

        Sampler sampler = new Sampler(t0, joined, samples, errors);
        Thread samplerThread = Thread.ofPlatform().daemon().name("lt-sampler").start(sampler);

        // Join phase: participant i starts at i / ramp seconds.
        Semaphore inFlight = new Semaphore(CONCURRENT_JOINS);
        CountDownLatch done = new CountDownLatch(s.participants());
        int i = 0;
        for (int user = 0; user < s.usersPerCall(); user++) {
            for (int call = 0; call < s.calls(); call++) {
                long due = t0 + (long) (i++ * 1e9 / s.rampPerSecond());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                inFlight.acquire();
                String callId = calls.get(call);
                String name = "u" + user;
                boolean audio = s.sendsAudio(call, user);
                boolean camera = s.sendsCamera(call, user);
                boolean screen = s.sharesScreen(call, user);
                Thread.ofVirtual().name("lt-join-" + callId + "-" + name).start(() -> {
                    long start = System.nanoTime();
                    try {
                        LoadParticipant p = factory.join(callId, name, audio, camera, screen, s.joinTimeout());
                        joined.add(p);
                        joinMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    } catch (JoinFailedException | RuntimeException e) {
                        synchronized (failures) {
                            failures[0]++;
                        }
                        addError(errors, "join: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
        }
        // Every join has its own timeout; this bound only guards against a factory that ignores it.
        if (!done.await(s.joinTimeout().toMillis() * 2 + 10_000, TimeUnit.MILLISECONDS)) {
            addError(errors, "joins still running after twice the join timeout");
        }
        double steadyFrom = seconds(t0);
        long[] delaysAtSteady = sampler.delaysSince(DelayHistogram.newCounts());
        ServerDelay serverDelayAtSteady = serverDelay(probe, errors);
        LOG.log(System.Logger.Level.INFO, "{0}: {1} joined, {2} failed; holding for {3}", s.describe(), joined.size(),
                failures[0], s.duration());
        TimeUnit.MILLISECONDS.sleep(s.duration().toMillis());
        double steadyTo = seconds(t0);
        long[] steadyDelays = sampler.delaysSince(delaysAtSteady);
        ServerDelay serverDelayAtEnd = serverDelay(probe, errors);
        ServerDelay steadyServerDelay = serverDelayAtSteady == null || serverDelayAtEnd == null ? null
                : serverDelayAtEnd.since(serverDelayAtSteady);

        List<LoadParticipant> all;
        synchronized (joined) {
            all = List.copyOf(joined);
        }
        all.forEach(LoadParticipant::stopSending);
        TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
        LoadResult.ClientTotals clients = clientTotals(all);
        ServerTotals serverTotals = null;
        try {
            serverTotals = probe.totals(calls).orElse(null);
        } catch (IOException e) {
            addError(errors, "server counters: " + e.getMessage());
        }
        sampler.stop();
        samplerThread.join(5_000);
        long srtpErrors = 0;
        for (LoadParticipant p : all) {
            srtpErrors += p.stats().srtpErrors();
            if (p.lastError() != null) {
                addError(errors, "participant: " + p.lastError());
            }
        }
        closeAll(all);
        long[] q = {
                DelayHistogram.quantile(steadyDelays, 0.5), DelayHistogram.quantile(steadyDelays, 0.9),
                DelayHistogram.quantile(steadyDelays, 0.99), DelayHistogram.quantile(steadyDelays, 0.999),
                DelayHistogram.quantile(steadyDelays, 1.0)};
        List<Sample> timeline;
        synchronized (samples) {
            timeline = List.copyOf(samples);
        }
        return new LoadResult(s, server, startMillis, timeline, steadyFrom, steadyTo, List.copyOf(joinMillis),
                failures[0], List.copyOf(errors), clients, serverTotals, q, srtpErrors, steadyServerDelay);
    }

    private static ServerDelay serverDelay(ServerProbe probe, Set<String> errors) {
        try {
            return probe.forwardingDelay().orElse(null);
        } catch (IOException | RuntimeException e) {
            addError(errors, "server delay histogram: " + e.getMessage());
            return null;
        }
    }

    private static void addError(Set<String> errors, String e) {
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(e);
            }
        }
    }

    private static LoadResult.ClientTotals clientTotals(List<LoadParticipant> all) {
        long sent = 0, sentBytes = 0, recv = 0, recvBytes = 0, expected = 0, lost = 0;
        for (LoadParticipant p : all) {
            ParticipantStats st = p.stats();
            sent += st.packetsSent();
            sentBytes += st.bytesSent();
            recv += st.packetsReceived();
            recvBytes += st.bytesReceived();
            expected += st.packetsExpected();
            lost += st.packetsLost();
        }
        return new LoadResult.ClientTotals(sent, sentBytes, recv, recvBytes, expected, lost);
    }

    /** Everybody leaves at once (each leave is bounded by the participant itself). */
    private static void closeAll(List<LoadParticipant> all) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(all.size());
        for (LoadParticipant p : all) {
            Thread.ofVirtual().start(() -> {
                try {
                    p.close();
                } finally {
                    closed.countDown();
                }
            });
        }
        closed.await(30, TimeUnit.SECONDS);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Once a second: the clients' totals and the server's sample, as rates over the last second. */
    private final class Sampler implements Runnable {
        private final long t0;
        private final List<LoadParticipant> joined;
        private final List<Sample> samples;
        private final Set<String> errors;
        private volatile boolean running = true;

        Sampler(long t0, List<LoadParticipant> joined, List<Sample> samples, Set<String> errors) {
            this.t0 = t0;
            this.joined = joined;
            this.samples = samples;
            this.errors = errors;
        }

        void stop() {
            running = false;
        }

        private long[] mergedDelays(List<LoadParticipant> all) {
            long[] c = DelayHistogram.newCounts();
            for (LoadParticipant p : all) {
                p.delays().addTo(c);
            }
            return c;
        }

        long[] delaysSince(long[] before) {
            List<LoadParticipant> all;
            synchronized (joined) {
                all = List.copyOf(joined);
            }
            long[] now = mergedDelays(all);
            for (int i = 0; i < now.length; i++) {
                now[i] = Math.max(0, now[i] - before[i]);
            }
            return now;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            double lastT = 0;
            long lastOut = 0, lastIn = 0, lastOutBytes = 0, lastInBytes = 0;
            long[] lastDelays = DelayHistogram.newCounts();
            while (running) {
                next += 1_000_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                List<LoadParticipant> all;
                synchronized (joined) {
                    all = List.copyOf(joined);
                }
                long out = 0, in = 0, outBytes = 0, inBytes = 0, lost = 0;
                for (LoadParticipant p : all) {
                    ParticipantStats st = p.stats();
                    out += st.packetsSent();
                    in += st.packetsReceived();
                    outBytes += st.bytesSent();
                    inBytes += st.bytesReceived();
                    lost += st.packetsLost();
                }
                long[] delays = mergedDelays(all);
                long[] window = new long[delays.length];
                for (int i = 0; i < delays.length; i++) {
                    window[i] = Math.max(0, delays[i] - lastDelays[i]);
                }
                double t = seconds(t0);
                double dt = Math.max(1e-3, t - lastT);
                ServerSample server;
                try {
                    server = probe.sample();
                } catch (IOException e) {
                    addError(errors, "server sample: " + e.getMessage());
                    server = new ServerSample(0, null, null, null, null, null);
                }
                samples.add(new Sample(t, all.size(), (out - lastOut) / dt, (in - lastIn) / dt,
                        8 * (outBytes - lastOutBytes) / dt, 8 * (inBytes - lastInBytes) / dt,
                        DelayHistogram.quantile(window, 0.5), DelayHistogram.quantile(window, 0.99), lost,
                        server.cpuPercent(), server.rssBytes(), server.packetsInPerSecond(),
                        server.packetsOutPerSecond(),
                        server.bytesInPerSecond() == null ? null : 8 * server.bytesInPerSecond(),
                        server.bytesOutPerSecond() == null ? null : 8 * server.bytesOutPerSecond()));
                lastT = t;
                lastOut = out;
                lastIn = in;
                lastOutBytes = outBytes;
                lastInBytes = inBytes;
                lastDelays = delays;
            }
        }
    }
}
