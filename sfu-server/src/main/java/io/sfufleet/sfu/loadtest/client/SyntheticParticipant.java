package io.sfufleet.sfu.loadtest.client;

import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.Leave;
import io.sfufleet.model.signal.ParticipantInfo;
import io.sfufleet.model.signal.ParticipantLeft;
import io.sfufleet.model.signal.Ping;
import io.sfufleet.model.signal.Protocol;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.model.signal.TrackInfo;
import io.sfufleet.model.signal.TrackPublished;
import io.sfufleet.model.signal.TrackUnpublished;
import io.sfufleet.sfu.loadtest.media.DelayHistogram;
import io.sfufleet.sfu.loadtest.peer.ClientPeerConnection;
import io.sfufleet.sfu.loadtest.peer.ClientSdp;
import io.sfufleet.sfu.loadtest.signal.SignallingConnection;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One synthetic participant in a call on a node: it joins over signalling, publishes the sources it
 * was asked for on a publish connection it offers (Opus-sized audio at 50 packets/s, VP8-like camera
 * and screen video, keyframes on PLI/FIR), answers the node's subscribe offers, and receives,
 * decrypts and checks everyone else's media (sequence numbers, loss, forwarding delay from a send
 * timestamp in the payload). ICE, DTLS and SRTP are real, as a browser does them.
 *
 * <p>{@link #join} returns once media flows: our publish connection is up and sending, and a packet
 * arrived from every track that was already published in the call; otherwise it throws
 * {@link JoinFailedException} naming the step that failed. The participant then runs until
 * {@link #close()} (or its {@link ParticipantOptions#maxLifetime()}), which leaves the call
 * (signalling {@code leave}, DTLS close_notify) and frees its sockets and tasks.
 *
 * <p>Thread-safe: {@link #stats()} and {@link #close()} may be called from any thread.
 */
public final class SyntheticParticipant implements LoadParticipant {
    private static final System.Logger LOG = System.getLogger(SyntheticParticipant.class.getName());
    private static final long PING_INTERVAL_MILLIS = 10_000;
    private static final Duration LEAVE_WAIT = Duration.ofSeconds(3);
    /** Messages from the node waiting for the worker; far more than a join ever brings. */
    private static final int INBOX = 4_096;
    private static final Object STOP = new Object();

    /** The WebSocket ended; queued after the messages that came before, so an error's reason is seen first. */
    private record Closed(String reason) {
    }

    private final ClientRuntime runtime;
    private final boolean ownsRuntime;
    private final ParticipantOptions options;
    private final String label;
    private final long sessionId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    /** Messages from the node, then a {@link Closed} when the WebSocket ends, in the order they came. */
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(INBOX);
    private final CompletableFuture<Joined> joined = new CompletableFuture<>();
    private final CompletableFuture<String> publishAnswer = new CompletableFuture<>();
    private final CompletableFuture<String> bye = new CompletableFuture<>();
    private final MediaEndpoint media;
    /** SSRC -> trackId, from the subscribe offers' msid lines. */
    private final Map<Long, String> trackBySsrc = new ConcurrentHashMap<>();
    /** Tracks of others that are published now (trackId). */
    private final Set<String> remoteTracks = ConcurrentHashMap.newKeySet();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final Thread worker;
    private volatile SignallingConnection signalling;
    private volatile String participantId;
    private volatile String lastError;
    private volatile long joinMillis = -1;
    private volatile boolean closed;

    private SyntheticParticipant(ClientRuntime runtime, boolean ownsRuntime, ParticipantOptions options) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.options = options;
        this.label = options.callId() + "/" + options.name();
        this.media = new MediaEndpoint(runtime, label);
        this.worker = Thread.ofVirtual().name("lt-" + label).unstarted(this::work);
    }

    /**
     * Joins with a private {@link ClientRuntime} (sockets on loopback), which closing the
     * participant closes too. For many participants, share one runtime with {@link #join(ClientRuntime, ParticipantOptions)}.
     */
    public static SyntheticParticipant join(ParticipantOptions options) throws JoinFailedException, InterruptedException {
        ClientRuntime own = ClientRuntime.loopback();
        try {
            return join(own, true, options);
        } catch (JoinFailedException | InterruptedException | RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Joins using a shared runtime, which stays open when the participant closes. */
    public static SyntheticParticipant join(ClientRuntime runtime, ParticipantOptions options)
            throws JoinFailedException, InterruptedException {
        return join(runtime, false, options);
    }

    /** Convenience: the node's client URL, a join token, the call, the name and the sources to send. */
    public static SyntheticParticipant join(URI clientUrl, String token, String callId, String name,
                                            boolean audio, boolean camera, boolean screen)
            throws JoinFailedException, InterruptedException {
        return join(ParticipantOptions.of(clientUrl, callId, name, token).withMedia(audio, camera, screen));
    }

    private static SyntheticParticipant join(ClientRuntime runtime, boolean owns, ParticipantOptions options)
            throws JoinFailedException, InterruptedException {
        SyntheticParticipant p = new SyntheticParticipant(runtime, owns, options);
        try {
            p.run();
            return p;
        } catch (JoinFailedException | InterruptedException | RuntimeException e) {
            p.closeQuietly(false);
            throw e;
        }
    }

    private void run() throws JoinFailedException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.joinTimeout().toNanos();
        worker.start();
        URI uri;
        try {
            uri = SignallingConnection.signallingUri(options.clientUrl());
        } catch (IllegalArgumentException e) {
            throw new JoinFailedException(label + ": " + e.getMessage());
        }
        try {
            signalling = SignallingConnection.open(runtime.http(), uri, options.joinTimeout(), this::enqueue);
        } catch (IOException e) {
            throw new JoinFailedException(label + ": " + e.getMessage(), e);
        }
        signalling.closedReason().thenAccept(reason -> {
            if (!inbox.offer(new Closed(reason))) {
                onClosed(reason);
            }
        });
        send(new Join(Protocol.VERSION, options.callId(), options.name(), "sfu-fleet-loadtest", options.token()), "join");
        Joined j = await(joined, deadline, "joined");
        participantId = j.participantId();
        for (ParticipantInfo other : j.participants()) {
            for (TrackInfo t : other.tracks()) {
                remoteTracks.add(t.trackId());
            }
        }
        schedule(runtime.timers(), this::ping, PING_INTERVAL_MILLIS, PING_INTERVAL_MILLIS);
        if (options.sendsAnything()) {
            startPublishing(deadline);
        }
        waitForRemoteMedia(deadline);
        joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        media.startReports();
        if (options.maxLifetime() != null) {
            synchronized (tasks) {
                tasks.add(runtime.timers().schedule(() -> closeQuietly(true), options.maxLifetime().toMillis(),
                        TimeUnit.MILLISECONDS));
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} joined as {1} in {2} ms", label, participantId, joinMillis);
    }

    private void startPublishing(long deadline) throws JoinFailedException, InterruptedException {
        List<ClientSdp.Outgoing> sections = MediaEndpoint.outgoing(options.audio(), options.camera(), options.screen());
        ClientPeerConnection pc = media.openPublish();
        String offer = ClientSdp.publishOffer(sessionId, pc.localCredentials(), pc.localFingerprint(),
                pc.localAddress(), sections, "actpass");
        List<PublishedTrack> tracks = sections.stream()
                .map(s -> new PublishedTrack(s.mid(), s.profile().source, false)).toList();
        send(new PublishOffer(offer, tracks), "publishOffer");
        String answer = await(publishAnswer, deadline, "publishAnswer");
        ClientSdp.RemoteTransport remote;
        SessionDescription answerSdp;
        try {
            answerSdp = SessionDescription.parse(answer);
            remote = ClientSdp.remoteTransport(answerSdp);
        } catch (SdpException e) {
            throw new JoinFailedException(label + ": unusable publishAnswer: " + e.getMessage(), e);
        }
        for (int i = 0; i < sections.size(); i++) {
            if (i >= answerSdp.media().size() || answerSdp.media().get(i).port() == 0
                    || !"recvonly".equals(answerSdp.media().get(i).direction())) {
                throw new JoinFailedException(label + ": the node did not accept our " + sections.get(i).profile().source
                        + " (m-section " + sections.get(i).mid() + ")" + (lastError == null ? "" : ": " + lastError));
            }
        }
        pc.start(remote.candidate(), remote.ufrag(), remote.password(), remote.fingerprint(), remote.weControl(true),
                remainingMillis(deadline));
        await(pc.connected(), deadline, "publish connection (ICE and DTLS to " + remote.candidate() + ")");
        media.startSenders(sections);
    }

    /**
     * Joined once media arrives, as a browser's "time to first frame": from the first remote track
     * that delivers any (or at once when nobody publishes). Not from every track: a node with top-N
     * audio or last-N video forwards only some of them, by design.
     */
    private void waitForRemoteMedia(long deadline) throws JoinFailedException, InterruptedException {
        while (true) {
            List<String> missing = new ArrayList<>();
            for (String track : remoteTracks) {
                if (!hasMedia(track)) {
                    missing.add(track);
                }
            }
            if (missing.size() < remoteTracks.size() || remoteTracks.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new JoinFailedException(label + ": no media within " + options.joinTimeout().toMillis()
                        + " ms from tracks " + missing + describeSubscribe());
            }
            if (bye.isDone()) {
                throw new JoinFailedException(label + ": signalling ended while waiting for media: " + bye.join());
            }
            Thread.sleep(10);
        }
    }

    private String describeSubscribe() {
        ClientPeerConnection s = media.subscribeConnectionIfAny();
        if (s == null) {
            return " (no subscribe offer came)";
        }
        if (s.connected().isCompletedExceptionally()) {
            try {
                s.connected().join();
            } catch (RuntimeException e) {
                return " (subscribe connection failed: " + e.getCause() + ")";
            }
        }
        return s.isConnected() ? " (subscribe connection up)" : " (subscribe connection not up)";
    }

    private boolean hasMedia(String trackId) {
        for (Map.Entry<Long, String> e : trackBySsrc.entrySet()) {
            if (e.getValue().equals(trackId)) {
                return media.hasMedia(e.getKey());
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ signalling

    private void enqueue(ServerMessage m) {
        if (!inbox.offer(m)) {
            lastError = "signalling inbox overflow";
        }
    }

    private void work() {
        try {
            while (true) {
                Object m = inbox.take();
                if (m == STOP) {
                    return;
                }
                try {
                    if (m instanceof Closed c) {
                        onClosed(c.reason());
                    } else {
                        handle((ServerMessage) m);
                    }
                } catch (RuntimeException e) {
                    lastError = "handling " + m.getClass().getSimpleName() + ": " + e;
                    LOG.log(System.Logger.Level.WARNING, label + ": " + lastError, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onClosed(String reason) {
        IOException cause = new IOException("signalling " + reason
                + (lastError == null ? "" : " after " + lastError));
        joined.completeExceptionally(cause);
        publishAnswer.completeExceptionally(cause);
        bye.complete(reason);
    }

    private void handle(ServerMessage m) {
        switch (m) {
            case Joined j -> joined.complete(j);
            case PublishAnswer a -> publishAnswer.complete(a.sdp());
            case SubscribeOffer o -> onSubscribeOffer(o);
            case TrackPublished t -> {
                if (!t.track().participantId().equals(participantId)) {
                    remoteTracks.add(t.track().trackId());
                }
            }
            case TrackUnpublished t -> remoteTracks.remove(t.trackId());
            case ParticipantLeft l -> {
                // its tracks were unpublished just before
            }
            case ErrorMessage e -> {
                lastError = e.code() + ": " + e.message();
                if (e.fatal()) {
                    IOException cause = new IOException("node refused: " + lastError);
                    joined.completeExceptionally(cause);
                    publishAnswer.completeExceptionally(cause);
                } else if (e.code() == io.sfufleet.model.signal.ErrorCode.SDP_REJECTED && !publishAnswer.isDone()) {
                    publishAnswer.completeExceptionally(new IOException("publish offer rejected: " + e.message()));
                }
            }
            case Bye b -> bye.complete("bye (" + b.reason() + ")");
            default -> {
                // pong, participantJoined, trackMuted: nothing to do for a synthetic client
            }
        }
    }

    private void onSubscribeOffer(SubscribeOffer offer) {
        if (closed) {
            return;
        }
        try {
            SessionDescription sdp = SessionDescription.parse(offer.sdp());
            for (Map.Entry<Long, String[]> e : ClientSdp.ssrcOwners(sdp).entrySet()) {
                if (e.getValue().length == 2) {
                    trackBySsrc.put(e.getKey(), e.getValue()[1]);
                }
            }
            boolean fresh = media.subscribeConnectionIfAny() == null;
            ClientPeerConnection pc = media.subscribeConnection();
            String answer = ClientSdp.answer(offer.sdp(), sessionId, pc.localCredentials(), pc.localFingerprint(),
                    pc.localAddress());
            send(new SubscribeAnswer(answer, offer.revision()), "subscribeAnswer");
            if (fresh) {
                ClientSdp.RemoteTransport remote = ClientSdp.remoteTransport(sdp);
                pc.start(remote.candidate(), remote.ufrag(), remote.password(), remote.fingerprint(),
                        remote.weControl(false), options.joinTimeout().toMillis());
            }
        } catch (SdpException | IOException | JoinFailedException e) {
            lastError = "subscribe offer " + offer.revision() + ": " + e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", label, lastError);
        }
    }

    private void ping() {
        try {
            send(new Ping(System.currentTimeMillis()), "ping");
        } catch (JoinFailedException e) {
            lastError = e.getMessage();
        }
    }

    private void send(io.sfufleet.model.signal.ClientMessage m, String what) throws JoinFailedException {
        try {
            signalling.send(m);
        } catch (IOException e) {
            throw new JoinFailedException(label + ": cannot send " + what + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ results

    /** This participant's id in the call (from {@code joined}). */
    public String participantId() {
        return participantId;
    }

    public ParticipantOptions options() {
        return options;
    }

    @Override
    public void stopSending() {
        media.stopSending();
    }

    /** The delays this participant measured; merge several with {@link DelayHistogram#addTo}. */
    @Override
    public DelayHistogram delays() {
        return media.delays();
    }

    /** The last error the node or the client reported after joining; null when none. */
    @Override
    public String lastError() {
        return lastError != null ? lastError : media.lastError();
    }

    /** Why the session ended, if the node ended it (e.g. "bye (kicked)"); null while it runs. */
    public String endedReason() {
        return bye.isDone() && !closed ? bye.join() : null;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public ParticipantStats stats() {
        return media.stats(participantId, joinMillis);
    }

    // ------------------------------------------------------------------ plumbing

    private Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a periodic task that throws is never run again: note it and keep going
                lastError = "media task: " + e;
            }
        };
    }

    private void schedule(java.util.concurrent.ScheduledExecutorService on, Runnable r, long delay, long period) {
        synchronized (tasks) {
            tasks.add(on.scheduleWithFixedDelay(guarded(r), delay, period, TimeUnit.MILLISECONDS));
        }
    }

    private <T> T await(CompletableFuture<T> f, long deadline, String what) throws JoinFailedException, InterruptedException {
        try {
            return f.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JoinFailedException(label + ": no " + what + " within " + options.joinTimeout().toMillis() + " ms"
                    + (lastError == null ? "" : " (last error: " + lastError + ")"));
        } catch (ExecutionException e) {
            throw new JoinFailedException(label + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Leaves the call and frees everything. Idempotent; waits at most a few seconds for the node's bye. */
    @Override
    public void close() {
        closeQuietly(true);
    }

    private void closeQuietly(boolean leave) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        synchronized (tasks) {
            for (ScheduledFuture<?> t : tasks) {
                t.cancel(false);
            }
            tasks.clear();
        }
        SignallingConnection s = signalling;
        if (s != null) {
            if (leave && participantId != null && !bye.isDone()) {
                try {
                    s.send(new Leave());
                    bye.get(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (IOException | ExecutionException | TimeoutException e) {
                    // the node is gone or slow: closing the WebSocket leaves the call too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            s.close();
        }
        media.close();
        inbox.clear();
        inbox.offer(STOP);
        if (ownsRuntime) {
            runtime.close();
        }
    }

    @Override
    public String toString() {
        return "SyntheticParticipant[" + label + (participantId == null ? "" : " as " + participantId) + "]";
    }
}
