package io.sfufleet.sfu.stats;

import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.Capacity;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.CallLimits;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Subscription;
import io.sfufleet.sfu.call.Track;
import io.sfufleet.sfu.transport.PeerTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns the live call objects into a {@link NodeSnapshot}. Media loop only: it reads engine
 * objects that only that thread may touch. Node rates are counter differences between two
 * {@link #tick()}s; {@link #refresh()} rebuilds the structure (after an admin action) and keeps the
 * rates of the last tick.
 */
public final class SnapshotBuilder {
    /** What does not change while the node runs. */
    public record Identity(String nodeName, String version, long startedAtMillis, int mediaPort,
                           String advertisedAddress) {
    }

    /** The media port's own counters (datagrams and bytes in and out since start). */
    public record MediaCounters(LongSupplier packetsIn, LongSupplier bytesIn, LongSupplier packetsOut,
                                LongSupplier bytesOut) {
    }

    private static final String FULL_LAYER = "full";

    private final Identity identity;
    private final CallManager calls;
    private final MediaCounters counters;
    private final NodeLifecycle lifecycle;
    private final Supplier<ProcessSample> process;
    private final Readiness readiness;

    private long lastTickNanos;
    private long lastPacketsIn;
    private long lastBytesIn;
    private long lastPacketsOut;
    private long lastBytesOut;
    private long packetsInPerSecond;
    private long bytesInPerSecond;
    private long packetsOutPerSecond;
    private long bytesOutPerSecond;

    public SnapshotBuilder(Identity identity, CallManager calls, MediaCounters counters, NodeLifecycle lifecycle,
                           Supplier<ProcessSample> process, Readiness readiness) {
        this.identity = identity;
        this.calls = calls;
        this.counters = counters;
        this.lifecycle = lifecycle;
        this.process = process;
        this.readiness = readiness;
    }

    /** The once-a-second snapshot: rates since the previous tick. */
    public NodeSnapshot tick() {
        long now = System.nanoTime();
        long packetsIn = counters.packetsIn().getAsLong();
        long bytesIn = counters.bytesIn().getAsLong();
        long packetsOut = counters.packetsOut().getAsLong();
        long bytesOut = counters.bytesOut().getAsLong();
        if (lastTickNanos != 0 && now > lastTickNanos) {
            double seconds = (now - lastTickNanos) / 1e9;
            packetsInPerSecond = rate(packetsIn - lastPacketsIn, seconds);
            bytesInPerSecond = rate(bytesIn - lastBytesIn, seconds);
            packetsOutPerSecond = rate(packetsOut - lastPacketsOut, seconds);
            bytesOutPerSecond = rate(bytesOut - lastBytesOut, seconds);
        }
        lastTickNanos = now;
        lastPacketsIn = packetsIn;
        lastBytesIn = bytesIn;
        lastPacketsOut = packetsOut;
        lastBytesOut = bytesOut;
        return refresh();
    }

    /** The calls as they are now, with the rates of the last tick. */
    public NodeSnapshot refresh() {
        long nowMillis = System.currentTimeMillis();
        List<CallSummary> summaries = new ArrayList<>(calls.calls().size());
        Map<String, CallDetail> details = new HashMap<>();
        int participants = 0;
        int tracks = 0;
        for (Call call : calls.calls()) {
            List<ParticipantDetail> ps = new ArrayList<>(call.participants().size());
            int callTracks = 0;
            long in = 0;
            long out = 0;
            for (Participant p : call.participants()) {
                ParticipantDetail d = participant(p);
                ps.add(d);
                callTracks += d.published().size();
                for (PublishedTrackStats t : d.published()) {
                    in += t.bitrateBps();
                }
                for (ReceivedTrackStats r : d.received()) {
                    out += r.bitrateBps();
                }
            }
            participants += ps.size();
            tracks += callTracks;
            summaries.add(new CallSummary(call.id(), call.createdAtMillis(), ps.size(), callTracks, in, out));
            details.put(call.id(), new CallDetail(call.id(), call.createdAtMillis(), ps));
        }
        ProcessSample proc = process.get();
        CallLimits limits = calls.limits();
        NodeState state = lifecycle.state();
        boolean ready = readiness.evaluate(state, summaries.size(), limits.maxCalls(), proc).status() == HealthStatus.ok;
        NodeInfo node = new NodeInfo(identity.nodeName(), identity.version(), ApiPaths.API_VERSION,
                identity.startedAtMillis(), Math.max(0, (nowMillis - identity.startedAtMillis()) / 1000),
                state, lifecycle.drainDeadlineMillis(), ready,
                proc.cpuPercent(), proc.systemCpuPercent(), proc.rssBytes(), proc.openFileDescriptors(),
                proc.maxFileDescriptors(), bytesInPerSecond, bytesOutPerSecond, packetsInPerSecond, packetsOutPerSecond,
                summaries.size(), participants, tracks,
                new Capacity(limits.maxCalls(), limits.maxParticipantsPerCall()),
                identity.mediaPort(), identity.advertisedAddress(), proc.availableProcessors());
        return new NodeSnapshot(node, summaries, details, nowMillis);
    }

    private ParticipantDetail participant(Participant p) {
        PeerTransport pub = p.publishTransport();
        PeerTransport sub = p.subscribeTransport();
        PeerTransport seen = pub != null && pub.remoteAddress() != null ? pub : sub;
        InetSocketAddress remote = seen == null ? null : seen.remoteAddress();
        String profile = pub != null && pub.srtpProfile() != null ? pub.srtpProfile()
                : sub == null ? null : sub.srtpProfile();
        List<PublishedTrackStats> published = new ArrayList<>(p.tracks().size());
        for (Track t : p.tracks()) {
            published.add(new PublishedTrackStats(t.trackId(), t.kind(), t.source(), t.codecName(),
                    Integer.toUnsignedLong(t.ssrc()), t.muted(), t.adminMuted(), t.bitrateBps(), t.packets(),
                    t.bytes(), t.packetsLost(), t.lossPercentLastTick(), finite(t.jitterMillis()), null,
                    t.nackCount(), t.pliCount(), t.receiverCount()));
        }
        List<Subscription> subs = p.receiving();
        List<ReceivedTrackStats> received = new ArrayList<>(subs.size());
        for (Subscription s : subs) {
            Track t = s.track();
            received.add(new ReceivedTrackStats(t.trackId(), t.owner().id(), t.kind(),
                    Integer.toUnsignedLong(t.ssrc()), s.bitrateBps(), s.packetsSent(), s.bytesSent(),
                    Math.min(100, s.lossPercent()), finite(s.jitterMillis()), knownOrNull(s.rttMillis()),
                    s.nackCount(), s.pliCount(), t.kind() == TrackKind.video ? FULL_LAYER : null));
        }
        return new ParticipantDetail(p.id(), p.name(), p.joinedAtMillis(),
                remote == null ? null : remote.getAddress().getHostAddress(), remote == null ? 0 : remote.getPort(),
                remote == null ? CandidateType.unknown : seen.overTcp() ? CandidateType.tcp
                        : calls.isTurnRelay(remote.getAddress()) ? CandidateType.relay : CandidateType.udp, profile,
                state(pub), state(sub), published, received);
    }

    /** A missing connection is {@code new}: nothing was negotiated on it yet. */
    static ConnectionState state(PeerTransport t) {
        if (t == null) {
            return ConnectionState.new_;
        }
        return switch (t.state()) {
            case NEW -> ConnectionState.new_;
            case CHECKING -> ConnectionState.checking;
            case CONNECTED -> ConnectionState.connected;
            case FAILED -> ConnectionState.failed;
            case CLOSED -> ConnectionState.closed;
        };
    }

    private static long rate(long delta, double seconds) {
        return delta <= 0 ? 0 : Math.round(delta / seconds);
    }

    private static double finite(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }

    private static Double knownOrNull(double v) {
        return Double.isFinite(v) && v >= 0 ? v : null;
    }
}
