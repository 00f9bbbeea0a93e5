package io.sfufleet.console.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.node.NodeClientException;
import io.sfufleet.console.node.NodeEventStream;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.NodeEvent;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.StatsSnapshotEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import okhttp3.OkHttpClient;
import okhttp3.WebSocket;

/**
 * Watches one node through its event stream and keeps its latest {@link NodeStatus}. Nothing here
 * blocks a caller: the stream's callbacks only swap an immutable status, a timer notices silence
 * and reconnects with backoff, and the quality sweep (HTTP) runs on the worker executor. A slow,
 * gone or garbage-speaking node only changes its own status.
 */
public final class NodeMonitor implements AutoCloseable {
    private static final int GARBAGE_BEFORE_RECONNECT = 3;

    private final NodeEntry entry;
    private final NodeClient client;
    private final NodeEventStream stream;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Clock clock;
    private final MonitorSettings settings;
    private final Backoff backoff;
    private final SampleRing samples;
    private final BiConsumer<String, Sample> sampleSink;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    // guarded by this
    private volatile NodeStatus status;
    private WebSocket socket;
    private long generation;
    private long lastMessageMillis;
    private int garbageInARow;
    private boolean closed;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> watchdog;
    private long lastSweepMillis;

    /**
     * @param sampleSink gets every sample (node name, sample) for the history; called on OkHttp's thread,
     *                   so it must only queue
     */
    public NodeMonitor(NodeEntry entry, OkHttpClient http, ScheduledExecutorService timer, ExecutorService workers,
                       Clock clock, MonitorSettings settings, BiConsumer<String, Sample> sampleSink) {
        this(entry, http, ApiJson.newMapper(), timer, workers, clock, settings, sampleSink);
    }

    /**
     * @param json the admin API mapper, shared by the monitors of a fleet: each mapper builds and keeps
     *             its own deserializers, some 100 kB per mapper once warm
     */
    public NodeMonitor(NodeEntry entry, OkHttpClient http, ObjectMapper json, ScheduledExecutorService timer,
                       ExecutorService workers, Clock clock, MonitorSettings settings,
                       BiConsumer<String, Sample> sampleSink) {
        this.entry = entry;
        var base = NodeClient.parseBaseUrl(entry.apiUrl());
        this.client = new NodeClient(http, base, entry.token(), json);
        this.stream = new NodeEventStream(http, base, entry.token(), json);
        this.timer = timer;
        this.workers = workers;
        this.clock = clock;
        this.settings = settings;
        this.backoff = new Backoff(settings.reconnectFirst(), settings.reconnectMax());
        this.samples = new SampleRing(settings.samplesKept());
        this.sampleSink = sampleSink;
        this.status = NodeStatus.initial(entry.name(), entry.apiUrl(), clock.millis());
    }

    public synchronized void start() {
        if (watchdog != null) {
            return;
        }
        connect();
        long period = Math.max(100, settings.staleAfter().toMillis() / 6);
        watchdog = timer.scheduleAtFixedRate(this::checkStale, period, period, TimeUnit.MILLISECONDS);
    }

    /** The latest status: a volatile read, safe from any thread, never blocks. */
    public NodeStatus status() {
        return status;
    }

    public NodeEntry entry() {
        return entry;
    }

    /** The node's API client, for actions and detail views (blocking: call it off the UI thread). */
    public NodeClient client() {
        return client;
    }

    public SampleRing samples() {
        return samples;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (socket != null) {
            socket.cancel();
            socket = null;
        }
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        lastMessageMillis = clock.millis();
        garbageInARow = 0;
        socket = stream.open(new NodeEventStream.Listener() {
            @Override
            public void opened() {
                // the hello and the first snapshot say more than the upgrade does
            }

            @Override
            public void event(NodeEvent event) {
                onEvent(gen, event);
            }

            @Override
            public void garbage(String problem) {
                onGarbage(gen, problem);
            }

            @Override
            public void closed(String reason, int httpStatus) {
                onClosed(gen, reason, httpStatus);
            }
        });
    }

    private void onEvent(long gen, NodeEvent event) {
        Sample sample = null;
        boolean sweep = false;
        synchronized (this) {
            if (gen != generation || closed) {
                return;
            }
            long now = clock.millis();
            lastMessageMillis = now;
            garbageInARow = 0;
            if (event instanceof StatsSnapshotEvent s) {
                backoff.reset();
                NodeInfo info = s.node();
                NodeHealth h = healthOf(info);
                status = status.withSnapshot(info, s.calls(), h, problemOf(h, info), now);
                sample = Sample.of(now, info);
                if (now - lastSweepMillis >= settings.qualityEvery().toMillis()) {
                    lastSweepMillis = now;
                    sweep = true;
                }
            }
        }
        if (sample != null) {
            samples.add(sample);
            sampleSink.accept(entry.name(), sample);
        }
        if (sweep) {
            sweepQuality();
        }
    }

    private synchronized void onGarbage(long gen, String problem) {
        if (gen != generation || closed) {
            return;
        }
        lastMessageMillis = clock.millis();
        status = status.withHealth(NodeHealth.BAD_ANSWER, problem, clock.millis());
        if (++garbageInARow >= GARBAGE_BEFORE_RECONNECT) {
            dropAndRetry(NodeHealth.BAD_ANSWER, problem);
        }
    }

    private synchronized void onClosed(long gen, String reason, int httpStatus) {
        if (gen != generation || closed) {
            return;
        }
        NodeHealth h = httpStatus == 401 || httpStatus == 403 ? NodeHealth.AUTH_FAILED
                : httpStatus != 0 ? NodeHealth.BAD_ANSWER : NodeHealth.UNREACHABLE;
        dropAndRetry(h, reason);
    }

    private synchronized void checkStale() {
        if (closed || socket == null) {
            return;
        }
        long silent = clock.millis() - lastMessageMillis;
        if (silent > settings.staleAfter().toMillis()) {
            dropAndRetry(NodeHealth.UNREACHABLE, "no data from the node for " + silent / 1000 + " s");
        }
    }

    // guarded by this
    private void dropAndRetry(NodeHealth h, String why) {
        generation++;
        if (socket != null) {
            socket.cancel();
            socket = null;
        }
        status = status.withHealth(h, why, clock.millis());
        long delay = backoff.nextDelayMillis();
        reconnect = timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void sweepQuality() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        List<CallSummary> calls = status.calls();
        try {
            workers.execute(() -> {
                try {
                    List<ParticipantQuality> quality = new ArrayList<>();
                    for (CallSummary c : calls.subList(0, Math.min(calls.size(), settings.maxCallsPerSweep()))) {
                        try {
                            // only the digest is kept: the call's track records become garbage at once
                            quality.addAll(ParticipantQuality.of(client.call(c.callId())));
                        } catch (NodeClientException e) {
                            // the call ended between the snapshot and this request, or the node went away:
                            // the stream reports the latter; the former just drops out of the sweep
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            return; // the console is closing
                        }
                    }
                    synchronized (this) {
                        if (!closed) {
                            status = status.withQuality(quality);
                        }
                    }
                } catch (Exception closing) {
                    // OkHttp (Kotlin) throws InterruptedException unchecked when the console's workers are
                    // stopped mid-request at exit: nothing to report, the sweep is simply over
                    if (!(closing instanceof InterruptedException) && !Thread.currentThread().isInterrupted()) {
                        throw closing instanceof RuntimeException r ? r : new IllegalStateException(closing);
                    }
                } finally {
                    sweeping.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            sweeping.set(false);
        }
    }

    static NodeHealth healthOf(NodeInfo info) {
        if (info.state() == NodeState.draining) {
            return NodeHealth.DRAINING;
        }
        return info.ready() && info.state() == NodeState.running ? NodeHealth.UP : NodeHealth.NOT_READY;
    }

    private static String problemOf(NodeHealth h, NodeInfo info) {
        return switch (h) {
            case UP -> null;
            case DRAINING -> "draining" + (info.drainDeadlineMillis() == null ? "" : " until "
                    + java.time.Instant.ofEpochMilli(info.drainDeadlineMillis()));
            case NOT_READY -> "not ready (state " + info.state() + ")";
            default -> h.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
