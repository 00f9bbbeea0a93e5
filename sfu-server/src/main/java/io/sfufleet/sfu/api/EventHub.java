package io.sfufleet.sfu.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallEndedEvent;
import io.sfufleet.model.api.CallStartedEvent;
import io.sfufleet.model.api.HelloEvent;
import io.sfufleet.model.api.NodeEvent;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.NodeStateChangedEvent;
import io.sfufleet.model.api.ParticipantJoinedEvent;
import io.sfufleet.model.api.DominantSpeakerEvent;
import io.sfufleet.model.api.ParticipantLeftEvent;
import io.sfufleet.model.api.StatsSnapshotEvent;
import io.sfufleet.model.api.TrackMutedEvent;
import io.sfufleet.model.api.TrackPublishedEvent;
import io.sfufleet.model.api.TrackUnpublishedEvent;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.CallEvents;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Track;
import io.sfufleet.sfu.stats.NodeLifecycle;
import io.sfufleet.sfu.stats.NodeSnapshot;
import io.sfufleet.sfu.stats.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fans the node's events out to the event-stream connections. The call logic reports on the media
 * loop; this only builds the event record there (it reads call objects) and hands it to the admin
 * loop, where it is encoded once and written to every stream. Nothing is built while nobody listens.
 */
final class EventHub implements CallEvents, NodeLifecycle.Listener {
    /** The admin listener's loop: every event-stream channel is registered on it. */
    private final EventExecutor loop;
    private final Executor mediaLoop;
    private final Snapshots snapshots;
    private final String nodeName;
    /** Admin loop only. */
    private final List<EventStreamHandler> streams = new ArrayList<>();
    private volatile int streamCount;
    private volatile int statsStreamCount;
    private final LongAdder tooSlow = new LongAdder();

    EventHub(EventExecutor loop, Executor mediaLoop, Snapshots snapshots, String nodeName) {
        this.loop = loop;
        this.mediaLoop = mediaLoop;
        this.snapshots = snapshots;
        this.nodeName = nodeName;
    }

    // ---------------------------------------------------------------- streams (admin loop)

    /**
     * A stream's WebSocket is open. It gets {@code hello} once the snapshot has been rebuilt on the
     * media loop, so what the GETs show after {@code hello} includes everything before it; events
     * until then are not sent to it (they are in that snapshot).
     */
    void subscribe(EventStreamHandler stream) {
        assert loop.inEventLoop();
        streams.add(stream);
        counts();
        try {
            mediaLoop.execute(() -> {
                snapshots.refresh();
                loop.execute(() -> stream.start(encode(new HelloEvent(ApiPaths.API_VERSION, nodeName,
                        System.currentTimeMillis()))));
            });
        } catch (RejectedExecutionException e) {
            stream.goingAway();
        }
    }

    void unsubscribe(EventStreamHandler stream) {
        assert loop.inEventLoop();
        if (streams.remove(stream)) {
            counts();
        }
    }

    void countTooSlow() {
        tooSlow.increment();
    }

    /** Streams closed because their client did not keep up. */
    long tooSlowCount() {
        return tooSlow.sum();
    }

    int streamCount() {
        return streamCount;
    }

    private void counts() {
        streamCount = streams.size();
        statsStreamCount = (int) streams.stream().filter(EventStreamHandler::wantsStats).count();
    }

    /** Closes every stream with 1001 (going away); the node is stopping. Completes when they are closed. */
    Future<Void> closeAll() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
            for (EventStreamHandler s : List.copyOf(streams)) {
                closing.add(s.goingAway());
            }
            if (closing.isEmpty()) {
                done.setSuccess(null);
                return;
            }
            int[] left = {closing.size()};
            for (var f : closing) {
                f.addListener(x -> {
                    if (--left[0] == 0) {
                        done.trySuccess(null);
                    }
                });
            }
        });
        return done;
    }

    // ---------------------------------------------------------------- events (media loop)

    @Override
    public void callStarted(Call call) {
        if (streamCount > 0) {
            publish(new CallStartedEvent(call.id(), System.currentTimeMillis()));
        }
    }

    @Override
    public void callEnded(Call call, String reason) {
        if (streamCount > 0) {
            publish(new CallEndedEvent(call.id(), System.currentTimeMillis(), reason));
        }
    }

    @Override
    public void participantJoined(Participant p) {
        if (streamCount > 0) {
            publish(new ParticipantJoinedEvent(p.call().id(), p.id(), p.name(), ip(p.remoteSignalAddress()),
                    System.currentTimeMillis()));
        }
    }

    @Override
    public void dominantSpeaker(Participant p) {
        if (streamCount > 0) {
            publish(new DominantSpeakerEvent(p.call().id(), p.id(), System.currentTimeMillis()));
        }
    }

    @Override
    public void participantLeft(Participant p, String reason) {
        if (streamCount > 0) {
            publish(new ParticipantLeftEvent(p.call().id(), p.id(), reason, System.currentTimeMillis()));
        }
    }

    @Override
    public void trackPublished(Track t) {
        if (streamCount > 0) {
            publish(new TrackPublishedEvent(t.owner().call().id(), t.owner().id(), t.trackId(), t.kind(), t.source(),
                    System.currentTimeMillis()));
        }
    }

    @Override
    public void trackUnpublished(Track t) {
        if (streamCount > 0) {
            publish(new TrackUnpublishedEvent(t.owner().call().id(), t.owner().id(), t.trackId(),
                    System.currentTimeMillis()));
        }
    }

    @Override
    public void trackMuted(Track t, boolean byAdmin) {
        if (streamCount > 0) {
            publish(new TrackMutedEvent(t.owner().call().id(), t.owner().id(), t.trackId(), t.muted(),
                    byAdmin && t.muted(), System.currentTimeMillis()));
        }
    }

    /** From the lifecycle, on whichever thread moved it. */
    @Override
    public void stateChanged(NodeState state, Long drainDeadlineMillis) {
        if (streamCount > 0) {
            publish(new NodeStateChangedEvent(state, drainDeadlineMillis, System.currentTimeMillis()));
        }
    }

    /** Each tick's snapshot, on the media loop. */
    void snapshotTaken(NodeSnapshot s) {
        if (statsStreamCount > 0) {
            publish(new StatsSnapshotEvent(s.node(), s.calls(), s.takenAtMillis()));
        }
    }

    private void publish(NodeEvent event) {
        try {
            loop.execute(() -> fanOut(event));
        } catch (RejectedExecutionException e) {
            // the admin loop is shutting down with the node: nobody is left to tell
        }
    }

    private void fanOut(NodeEvent event) {
        boolean stats = event instanceof StatsSnapshotEvent;
        ByteBuf json = encode(event);
        try {
            for (EventStreamHandler s : List.copyOf(streams)) {
                if (!stats || s.wantsStats()) {
                    s.send(json.retainedDuplicate());
                }
            }
        } finally {
            json.release();
        }
    }

    private static ByteBuf encode(NodeEvent event) {
        return Unpooled.wrappedBuffer(ApiJson.bytes(event));
    }

    /**
     * The IP of a signalling peer as the signalling layer names it ({@code InetSocketAddress}'s
     * text: "/198.51.100.23:50123", "/[2001:db8::1]:50123"), or null when it has none.
     */
    static String ip(String socketAddress) {
        if (socketAddress == null) {
            return null;
        }
        String s = socketAddress.substring(socketAddress.indexOf('/') + 1);
        if (s.startsWith("[") && s.indexOf(']') > 0) {
            return s.substring(1, s.indexOf(']'));
        }
        int colon = s.lastIndexOf(':');
        s = colon < 0 ? s : s.substring(0, colon);
        return s.isEmpty() || s.equals("?") ? null : s;
    }
}
