package io.sfufleet.sfu.loadtest.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinFailedException;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import io.sfufleet.sfu.loadtest.client.MediaEndpoint;
import io.sfufleet.sfu.loadtest.client.ParticipantStats;
import io.sfufleet.sfu.loadtest.media.DelayHistogram;
import io.sfufleet.sfu.loadtest.peer.ClientPeerConnection;
import io.sfufleet.sfu.loadtest.peer.ClientSdp;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A synthetic participant in a Janus VideoRoom, with the same media as {@link
 * io.sfufleet.sfu.loadtest.client.SyntheticParticipant} (a {@link MediaEndpoint}): it joins the
 * room as a publisher (creating the room if it is the first), publishes its sources on one
 * connection, and receives every other publisher's streams on one multistream subscriber
 * connection, subscribing to new publishers as Janus announces them. The room stands for the call.
 */
public final class JanusParticipant implements LoadParticipant {
    static final String PLUGIN = "janus.plugin.videoroom";
    /** VideoRoom's "room already exists": another participant of the call created it first. */
    private static final int ROOM_EXISTS = 427;
    private static final Object STOP = new Object();

    private final ClientRuntime runtime;
    private final URI uri;
    private final String callId;
    private final String name;
    private final boolean audio;
    private final boolean camera;
    private final boolean screen;
    private final Duration timeout;
    private final int roomCapacity;
    private final String label;
    private final long room;
    private final long sessionId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    private final MediaEndpoint media;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(4_096);
    private final Set<Long> subscribed = new LinkedHashSet<>();
    private final Object subscribeLock = new Object();
    private volatile JanusSession session;
    private volatile long publisherHandle;
    private volatile long subscriberHandle;
    private volatile long myId;
    private volatile String lastError;
    private volatile long joinMillis = -1;
    private volatile boolean closed;
    private Thread worker;

    private JanusParticipant(ClientRuntime runtime, URI uri, String callId, String name, boolean audio, boolean camera,
                             boolean screen, Duration timeout, int roomCapacity) {
        this.runtime = runtime;
        this.uri = uri;
        this.callId = callId;
        this.name = name;
        this.audio = audio;
        this.camera = camera;
        this.screen = screen;
        this.timeout = timeout;
        this.roomCapacity = roomCapacity;
        this.label = "janus:" + callId + "/" + name;
        this.room = roomOf(callId);
        this.media = new MediaEndpoint(runtime, label);
    }

    /** The VideoRoom number that stands for a call id (VideoRoom rooms are numbered). */
    static long roomOf(String callId) {
        return 1 + (callId.hashCode() & 0x3FFFFFFFL);
    }

    public static JanusParticipant join(ClientRuntime runtime, URI janusWebSocket, String callId, String name,
                                        boolean audio, boolean camera, boolean screen, Duration timeout,
                                        int roomCapacity) throws JoinFailedException, InterruptedException {
        JanusParticipant p = new JanusParticipant(runtime, janusWebSocket, callId, name, audio, camera, screen, timeout,
                roomCapacity);
        try {
            p.run();
            return p;
        } catch (JoinFailedException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void run() throws JoinFailedException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<Long> feeds = new ArrayList<>();
        int expectedStreams = 0;
        try {
            session = JanusSession.open(runtime.http(), uri, timeout, runtime.timers());
            publisherHandle = session.attach(PLUGIN, this::enqueue);
            ensureRoom();
            ObjectNode join = JanusSession.body();
            join.put("request", "join").put("ptype", "publisher").put("room", room).put("display", name);
            JsonNode joined = pluginData(session.request(publisherHandle, join, null, null), "join");
            myId = joined.path("id").asLong();
            for (JsonNode p : joined.path("publishers")) {
                feeds.add(p.path("id").asLong());
                expectedStreams += mediaStreams(p);
            }
        } catch (IOException e) {
            throw new JoinFailedException(label + ": " + e.getMessage(), e);
        }
        if (audio || camera || screen) {
            publish(deadline);
        }
        if (!feeds.isEmpty()) {
            subscribe(feeds);
        }
        while (media.streamsWithMedia() < expectedStreams) {
            if (System.nanoTime() - deadline > 0) {
                throw new JoinFailedException(label + ": media from " + media.streamsWithMedia() + " of " + expectedStreams
                        + " streams within " + timeout.toMillis() + " ms" + (lastError == null ? "" : ": " + lastError));
            }
            Thread.sleep(10);
        }
        joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        media.startReports();
        worker = Thread.ofVirtual().name("lt-" + label).start(this::work);
    }

    private static int mediaStreams(JsonNode publisher) {
        int n = 0;
        for (JsonNode s : publisher.path("streams")) {
            String type = s.path("type").asText();
            if ((type.equals("audio") || type.equals("video")) && !s.path("disabled").asBoolean(false)) {
                n++;
            }
        }
        return n;
    }

    private void ensureRoom() throws IOException {
        ObjectNode create = JanusSession.body();
        create.put("request", "create").put("room", room).put("publishers", roomCapacity)
                .put("audiocodec", "opus").put("videocodec", "vp8").put("notify_joining", false)
                .put("bitrate", 0).put("description", callId);
        JsonNode data = session.request(publisherHandle, create, null, null).path("plugindata").path("data");
        if (data.has("error_code") && data.path("error_code").asInt() != ROOM_EXISTS) {
            throw new IOException("VideoRoom create: " + data.path("error").asText());
        }
    }

    /** The VideoRoom's answer data; its {@code error} becomes an IOException naming the request. */
    private static JsonNode pluginData(JsonNode reply, String what) throws IOException {
        JsonNode data = reply.path("plugindata").path("data");
        if (data.has("error_code")) {
            throw new IOException("VideoRoom " + what + ": " + data.path("error").asText() + " (" + data.path("error_code").asInt() + ")");
        }
        return data;
    }

    private void publish(long deadline) throws JoinFailedException, InterruptedException {
        List<ClientSdp.Outgoing> sections = MediaEndpoint.outgoing(audio, camera, screen);
        ClientPeerConnection pc = media.openPublish();
        // a=setup:active: answering actpass, Janus would take the DTLS client role itself
        String offer = ClientSdp.publishOffer(sessionId, pc.localCredentials(), pc.localFingerprint(),
                pc.localAddress(), sections, "active");
        try {
            ObjectNode body = JanusSession.body();
            body.put("request", "publish");
            JsonNode reply = session.request(publisherHandle, body, "offer", offer);
            pluginData(reply, "publish");
            String answer = reply.path("jsep").path("sdp").asText(null);
            if (answer == null) {
                throw new IOException("VideoRoom publish: no SDP answer");
            }
            ClientSdp.RemoteTransport remote = ClientSdp.remoteTransport(SessionDescription.parse(answer));
            pc.start(remote.candidate(), remote.ufrag(), remote.password(), remote.fingerprint(), remote.weControl(true),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            // a little past the connection's own deadline, so that its reason (ICE or DTLS) is what we report
            pc.connected().get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 2_000,
                    TimeUnit.MILLISECONDS);
        } catch (IOException | SdpException e) {
            throw new JoinFailedException(label + ": publish: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new JoinFailedException(label + ": publish connection: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new JoinFailedException(label + ": publish connection not up within " + timeout.toMillis() + " ms");
        }
        media.startSenders(sections);
    }

    /**
     * Subscribes to these publishers' streams on the one subscriber handle: {@code join} the first
     * time, {@code subscribe} after; either way Janus offers and we answer with {@code start}.
     */
    private void subscribe(List<Long> feeds) throws JoinFailedException {
        synchronized (subscribeLock) {
            List<Long> fresh = new ArrayList<>();
            for (long f : feeds) {
                if (f != myId && subscribed.add(f)) {
                    fresh.add(f);
                }
            }
            if (fresh.isEmpty() || closed) {
                return;
            }
            try {
                ObjectNode body = JanusSession.body();
                ArrayNode streams = JanusSession.JSON.createArrayNode();
                for (long f : fresh) {
                    streams.addObject().put("feed", f);
                }
                boolean first = subscriberHandle == 0;
                if (first) {
                    subscriberHandle = session.attach(PLUGIN, this::enqueue);
                    body.put("request", "join").put("ptype", "subscriber").put("room", room);
                } else {
                    body.put("request", "subscribe");
                }
                body.set("streams", streams);
                JsonNode reply = session.request(subscriberHandle, body, null, null);
                pluginData(reply, first ? "subscriber join" : "subscribe");
                String offer = reply.path("jsep").path("sdp").asText(null);
                if (offer == null) {
                    throw new IOException("VideoRoom " + (first ? "subscriber join" : "subscribe") + ": no SDP offer");
                }
                ClientPeerConnection pc = media.subscribeConnection();
                String answer = ClientSdp.answer(offer, sessionId, pc.localCredentials(), pc.localFingerprint(),
                        pc.localAddress());
                ObjectNode start = JanusSession.body();
                start.put("request", "start");
                pluginData(session.request(subscriberHandle, start, "answer", answer), "start");
                if (first) {
                    ClientSdp.RemoteTransport remote = ClientSdp.remoteTransport(SessionDescription.parse(offer));
                    pc.start(remote.candidate(), remote.ufrag(), remote.password(), remote.fingerprint(),
                            remote.weControl(false), timeout.toMillis());
                }
            } catch (IOException | SdpException e) {
                throw new JoinFailedException(label + ": subscribe to " + fresh + ": " + e.getMessage(), e);
            }
        }
    }

    private void enqueue(JsonNode event) {
        if (!inbox.offer(event)) {
            lastError = "Janus event queue overflow";
        }
    }

    /** After joining: subscribes to publishers as Janus announces them. */
    private void work() {
        try {
            while (true) {
                Object m = inbox.take();
                if (m == STOP) {
                    return;
                }
                JsonNode event = (JsonNode) m;
                JsonNode data = event.path("plugindata").path("data");
                if (data.has("publishers")) {
                    List<Long> feeds = new ArrayList<>();
                    for (JsonNode p : data.path("publishers")) {
                        feeds.add(p.path("id").asLong());
                    }
                    try {
                        subscribe(feeds);
                    } catch (JoinFailedException e) {
                        lastError = e.getMessage();
                    }
                } else if (event.path("janus").asText().equals("hangup") && !closed) {
                    lastError = "Janus hung up: " + event.path("reason").asText();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ParticipantStats stats() {
        return media.stats(Long.toString(myId), joinMillis);
    }

    @Override
    public DelayHistogram delays() {
        return media.delays();
    }

    @Override
    public String lastError() {
        return lastError != null ? lastError : media.lastError();
    }

    @Override
    public void stopSending() {
        media.stopSending();
    }

    /** Destroys the Janus session (it hangs up both connections) and closes ours. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        JanusSession s = session;
        if (s != null) {
            s.close();
        }
        media.close();
        inbox.clear();
        inbox.offer(STOP);
    }

    @Override
    public String toString() {
        return "JanusParticipant[" + label + "]";
    }
}
