package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.DominantSpeaker;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.ParticipantInfo;
import io.sfufleet.model.signal.ParticipantJoined;
import io.sfufleet.model.signal.ParticipantLeft;
import io.sfufleet.model.signal.Protocol;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.model.signal.TrackMuted;
import io.sfufleet.model.signal.TrackPublished;
import io.sfufleet.model.signal.TrackUnpublished;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.rtcp.Nack;
import io.sfufleet.sfu.rtcp.Rtcp;
import io.sfufleet.sfu.rtcp.TransportCc;
import io.sfufleet.sfu.rtp.DependencyDescriptor;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.rtp.Rtx;
import io.sfufleet.sfu.simulcast.LayerSelector;
import io.sfufleet.sfu.simulcast.Vp8Keyframe;
import io.sfufleet.sfu.svc.SvcForwarder;
import io.sfufleet.sfu.transport.DropReason;
import io.sfufleet.sfu.transport.MediaMetrics;
import io.sfufleet.sfu.transport.PeerTransport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * All calls of the node and the media decisions between their participants: who receives which
 * track, forwarding, keyframe requests, RTCP. Every method runs on the media loop; the signalling
 * layer posts to it, so no state here needs a lock.
 */
public final class CallManager {
    private static final System.Logger LOG = System.getLogger(CallManager.class.getName());
    private static final int MAX_TRACKS_PER_REPORT = 31;

    private final MediaContext ctx;
    private final MediaMetrics metrics;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private boolean draining;
    private long lastTickNanos;
    private final List<Runnable> tickListeners = new ArrayList<>();
    private final List<CallEvents> listeners = new ArrayList<>();
    private long drainDeadlineMillis;
    private java.util.concurrent.ScheduledFuture<?> drainTimer;
    private long forwardedPackets;
    private long forwardedBytes;
    private CallLimits limits;

    // scratch arrays for receiver reports, reused every tick
    /** Sequence numbers of one NACK, and those of them the cache lacks; more in one NACK are ignored. */
    private final int[] nackSequences = new int[256];
    private final int[] nackMissing = new int[256];
    private final int[] rrSsrc = new int[MAX_TRACKS_PER_REPORT];
    private final int[] rrFraction = new int[MAX_TRACKS_PER_REPORT];
    private final int[] rrLost = new int[MAX_TRACKS_PER_REPORT];
    private final long[] rrSeq = new long[MAX_TRACKS_PER_REPORT];
    private final long[] rrJitter = new long[MAX_TRACKS_PER_REPORT];
    private final long[] rrLsr = new long[MAX_TRACKS_PER_REPORT];
    private final long[] rrDlsr = new long[MAX_TRACKS_PER_REPORT];

    /** The bye and participantLeft reason for a participant removed by consent freshness. */
    public static final String CONSENT_EXPIRED = "consentExpired";

    /** Whether media from {@code address} was relayed by one of the node's TURN servers. */
    public boolean isTurnRelay(java.net.InetAddress address) {
        return ctx.turn().isRelay(address);
    }

    public CallManager(MediaContext ctx) {
        this.ctx = ctx;
        this.metrics = ctx.metrics();
        this.limits = new CallLimits(ctx.maxCalls(), ctx.maxParticipantsPerCall(), ctx.keyframeIntervalNanos());
    }

    public CallLimits limits() {
        return limits;
    }

    /** New limits (configuration reload): the next join and the next track see them; nobody is removed. */
    public void setLimits(CallLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** Starts the once-a-second RTCP reports; call once after the media loop runs. */
    public void start() {
        ctx.mediaLoop().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        ctx.mediaLoop().scheduleAtFixedRate(this::selectSpeakers, SELECTION_INTERVAL_MILLIS,
                SELECTION_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ctx.mediaLoop().scheduleAtFixedRate(this::selectLayers, SELECTION_INTERVAL_MILLIS,
                SELECTION_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ctx.mediaLoop().scheduleAtFixedRate(this::sendTransportFeedback, TWCC_FEEDBACK_INTERVAL_MILLIS,
                TWCC_FEEDBACK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * How often publishers get transport-cc feedback. GoogCC reacts to delay within one feedback
     * interval; libwebrtc's receivers send it every 50 to 250 ms depending on the rate.
     */
    static final long TWCC_FEEDBACK_INTERVAL_MILLIS = 50;

    /** Transport-cc feedback to every publisher that negotiated it, for what arrived since the last. */
    void sendTransportFeedback() {
        try {
            for (Call call : calls.values()) {
                for (Participant p : call.participants.values()) {
                    PeerTransport pub = p.publishTransport();
                    if (p.publishTwccId < 0 || pub == null || !pub.isConnected() || p.published.isEmpty()) {
                        continue;
                    }
                    int mediaSsrc = p.published.values().iterator().next().ssrc;
                    PacketBuffer out = ctx.pool().acquire();
                    try {
                        int len = p.publishArrivals.writeFeedback(out.getBuffer(), 0, pub.localSsrc(), mediaSsrc);
                        if (len > 0) {
                            out.setOffset(0);
                            out.setLength(len);
                            pub.sendRtcp(out);
                        }
                    } finally {
                        ctx.pool().release(out);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "transport-cc feedback failed", e);
        }
        ctx.sink().flush();
    }

    /** How often the loudest audio and last-N video are chosen again: a new speaker is heard within this. */
    static final long SELECTION_INTERVAL_MILLIS = 200;

    /** One round of top-N audio and last-N video for every call, and dominant-speaker news. */
    void selectSpeakers() {
        long now = System.nanoTime();
        try {
            for (Call call : calls.values()) {
                SpeakerSelection.Outcome o = SpeakerSelection.select(call, limits.maxAudioStreams(),
                        limits.maxVideoStreams(), now);
                for (Subscription s : o.videoSelected()) {
                    // forwarded again from the middle of a stream: the receiver needs a keyframe to decode
                    if (s.negotiated) {
                        requestKeyframe(s.track);
                    }
                }
                if (o.newDominant() != null) {
                    DominantSpeaker news = new DominantSpeaker(o.newDominant().id);
                    for (Participant p : call.participants.values()) {
                        p.peer.send(news);
                    }
                    for (CallEvents l : listeners) {
                        l.dominantSpeaker(o.newDominant());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "speaker selection failed", e);
        }
    }

    /** Runs {@code listener} on the media loop after each once-a-second tick (stats snapshots). */
    public void addTickListener(Runnable listener) {
        tickListeners.add(listener);
    }

    public Collection<Call> calls() {
        return Collections.unmodifiableCollection(calls.values());
    }

    public void addListener(CallEvents l) {
        listeners.add(l);
    }

    public boolean isDraining() {
        return draining;
    }

    /** Epoch milliseconds when a drain ends the remaining calls; 0 when not draining. */
    public long drainDeadlineMillis() {
        return drainDeadlineMillis;
    }

    /**
     * Stops taking joins; the calls present go on until {@code deadlineMillis}, when the ones left
     * are ended with reason "nodeDrained". Draining again moves the deadline.
     */
    public void drain(long deadlineMillis) {
        draining = true;
        drainDeadlineMillis = deadlineMillis;
        if (drainTimer != null) {
            drainTimer.cancel(false);
        }
        long delay = Math.max(0, deadlineMillis - System.currentTimeMillis());
        drainTimer = ctx.mediaLoop().schedule(this::endAllAtDeadline, delay, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "draining: no new joins; calls left at {0} are ended",
                java.time.Instant.ofEpochMilli(deadlineMillis));
        for (CallEvents l : listeners) {
            l.nodeStateChanged(true, deadlineMillis);
        }
    }

    /** Takes joins again. */
    public void undrain() {
        draining = false;
        drainDeadlineMillis = 0;
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
        LOG.log(System.Logger.Level.INFO, "drain cancelled: taking joins again");
        for (CallEvents l : listeners) {
            l.nodeStateChanged(false, 0);
        }
    }

    private void endAllAtDeadline() {
        drainTimer = null;
        for (Call c : List.copyOf(calls.values())) {
            endCall(c, "nodeDrained");
        }
    }

    /** Ends a call: every participant is told why and disconnected. */
    public void endCall(Call call, String reason) {
        for (Participant p : List.copyOf(call.participants.values())) {
            kick(p, reason);
        }
    }

    public Call call(String callId) {
        return calls.get(callId);
    }

    /**
     * An admin mutes a participant's audio and/or video: the node stops forwarding those tracks at
     * once, whatever the client does, and tells everyone (the participant's own client mutes
     * itself). The participant lifts it by unmuting.
     */
    public int adminMute(Participant p, boolean audio, boolean video) {
        int n = 0;
        for (Track t : p.published.values()) {
            boolean hit = t.kind == TrackKind.audio ? audio : video;
            if (hit && !t.adminMuted) {
                t.adminMuted = true;
                t.muted = true;
                n++;
                TrackMuted m = new TrackMuted(p.id, t.trackId, true, t.source);
                for (Participant o : p.call.participants.values()) {
                    o.peer.send(m);
                }
                for (CallEvents l : listeners) {
                    l.trackMuted(t, true);
                }
            }
        }
        return n;
    }

    public long forwardedPackets() {
        return forwardedPackets;
    }

    public long forwardedBytes() {
        return forwardedBytes;
    }

    // ---------------------------------------------------------------- membership

    /**
     * Adds a participant whose join token was verified: {@code grant} names it (its {@code sub} is the
     * participant's name, whatever {@code join.name} says) and limits what it may publish and receive.
     */
    public Participant join(Join join, JoinGrant grant, SignalPeer peer) throws JoinRefused {
        if (draining) {
            throw new JoinRefused(ErrorCode.NODE_DRAINING, "this node is draining and takes no new calls; join another node");
        }
        Call call = calls.get(join.callId());
        if (call == null) {
            if (calls.size() >= limits.maxCalls()) {
                throw new JoinRefused(ErrorCode.NODE_FULL, "this node has reached its limit of "
                        + limits.maxCalls() + " calls; join another node");
            }
            call = new Call(join.callId());
            calls.put(call.id, call);
            LOG.log(System.Logger.Level.INFO, "call {0} started", call.id);
            for (CallEvents l : listeners) {
                l.callStarted(call);
            }
        } else if (call.participants.size() >= limits.maxParticipantsPerCall()) {
            throw new JoinRefused(ErrorCode.CALL_FULL, "call " + call.id + " has reached its limit of "
                    + limits.maxParticipantsPerCall() + " participants");
        }
        Participant p = new Participant(call.nextParticipantId(), grant, call, peer, this, ctx);
        List<ParticipantInfo> others = new ArrayList<>();
        for (Participant o : call.participants.values()) {
            others.add(o.info());
        }
        call.participants.put(p.id, p);
        peer.send(new Joined(Protocol.VERSION, call.id, p.id, others, ctx.nodeName(),
                ctx.turn().forUser(p.id, System.currentTimeMillis()), ctx.videoCodecs()));
        // the news goes out only when the speaker changes: a late joiner hears the current one at once
        if (call.dominant != null && call.participants.containsKey(call.dominant.id)) {
            peer.send(new DominantSpeaker(call.dominant.id));
        }
        ParticipantInfo info = p.info();
        for (Participant o : call.others(p)) {
            o.peer.send(new ParticipantJoined(info));
            for (Track t : o.published.values()) {
                p.subscribe(t);
            }
        }
        LOG.log(System.Logger.Level.INFO, "call {0}: {1} ({2}) joined from {3}", call.id, p.id, p.name,
                peer.remoteAddress());
        for (CallEvents l : listeners) {
            l.participantJoined(p);
        }
        return p;
    }

    /** Removes the participant, tells the others, and ends the call when it was the last. */
    public void leave(Participant p, String reason) {
        if (p.hasLeft()) {
            return;
        }
        for (Track t : List.copyOf(p.published.values())) {
            p.published.remove(t.publishMid);
            t.ended = true;
            trackUnpublished(p, t);
        }
        for (Subscription s : p.subscriptions) {
            s.track.removeReceiver(s);
        }
        p.markLeft();
        Call call = p.call;
        call.participants.remove(p.id);
        for (Participant o : call.participants.values()) {
            o.peer.send(new ParticipantLeft(p.id, reason));
        }
        LOG.log(System.Logger.Level.INFO, "call {0}: {1} left ({2})", call.id, p.id, reason);
        for (CallEvents l : listeners) {
            l.participantLeft(p, reason);
        }
        if (call.participants.isEmpty()) {
            calls.remove(call.id);
            LOG.log(System.Logger.Level.INFO, "call {0} ended", call.id);
            for (CallEvents l : listeners) {
                l.callEnded(call, reason);
            }
        }
    }

    /** Ends the participant's session from the node's side with a reason the client sees. */
    public void kick(Participant p, String reason) {
        p.peer.send(new Bye(reason));
        leave(p, reason);
        p.peer.close();
    }

    void trackPublished(Participant owner, Track t) {
        for (Participant o : owner.call.others(owner)) {
            o.peer.send(new TrackPublished(t.info()));
            o.subscribe(t);
        }
        for (CallEvents l : listeners) {
            l.trackPublished(t);
        }
    }

    void trackUnpublished(Participant owner, Track t) {
        for (Participant o : owner.call.others(owner)) {
            o.unsubscribe(t);
            o.peer.send(new TrackUnpublished(owner.id, t.trackId));
        }
        for (CallEvents l : listeners) {
            l.trackUnpublished(t);
        }
    }

    void trackMuted(Participant owner, Track t) {
        for (Participant o : owner.call.others(owner)) {
            o.peer.send(new TrackMuted(owner.id, t.trackId, t.muted, t.source));
        }
        for (CallEvents l : listeners) {
            l.trackMuted(t, false);
        }
    }

    // ---------------------------------------------------------------- media

    /** Decrypted once on arrival; here copied and encrypted once per receiver. */
    void forward(Track t, PacketBuffer in) {
        Subscription[] rs = t.receivers;
        int layer = -1;
        boolean keyframe = false;
        long now = System.nanoTime();
        if (t.simulcast()) {
            byte[] b = in.getBuffer();
            layer = t.layerOf(Rtp.ssrc(b, in.getOffset()));
            if (layer < 0) {
                return;
            }
            t.layerCaches[layer].store(b, in.getOffset(), in.getLength(), now);
            if (t.codec.rtpmap().regionMatches(true, 0, "VP8/", 0, 4)) {
                keyframe = Vp8Keyframe.isKeyframeStart(b, in.getOffset(), in.getLength());
                if (keyframe) {
                    int h = Vp8Keyframe.height(b, in.getOffset(), in.getLength());
                    if (h > 0) {
                        t.layerHeights[layer] = h;
                    }
                }
            }
        }
        if (rs.length == 0 || t.adminMuted) {
            return;
        }
        PacketPool pool = ctx.pool();
        if (t.sent != null && layer < 0) {
            t.sent.store(in.getBuffer(), in.getOffset(), in.getLength(), now);
        }
        ForwardLoss loss = ctx.forwardLoss();
        for (Subscription s : rs) {
            PeerTransport out = s.receiver.subscribeTransport();
            if (!s.active || !s.negotiated || out == null || !out.isConnected()) {
                continue;
            }
            if (!s.selected) {
                continue;
            }
            PacketBuffer copy = pool.acquire();
            try {
                copy.copyFrom(in);
                if (s.layers != null
                        && !s.layers.forward(layer, copy.getBuffer(), copy.getOffset(), copy.getLength(), keyframe, now)) {
                    continue; // not this receiver's layer, or waiting for the target layer's keyframe
                }
                if (s.svc != null
                        && !s.svc.forward(t.dependencies, t.described, copy.getBuffer(), copy.getOffset(), now)) {
                    continue; // a frame of layers this receiver does not get
                }
                stampTransportSequence(s, copy);
                // The test seam drops here, after numbering: like a packet lost on the link, the
                // receiver's transport-cc feedback then reports it missing.
                if (loss.drop(t, s.receiver, copy)) {
                    continue;
                }
                if (out.sendRtp(copy)) {
                    s.packetsSent++;
                    s.bytesSent += in.getLength();
                    forwardedPackets++;
                    forwardedBytes += in.getLength();
                    metrics.forwarded(t.packetKind, in.getLength(), in.receivedAtNanos());
                }
            } finally {
                pool.release(copy);
            }
        }
    }

    /** Room SRTP needs after the payload (auth tag, up to 16 bytes, and an MKI we never use). */
    private static final int SRTP_TRAILER_ROOM = 32;

    /**
     * Numbers a packet to a receiver that negotiated transport-cc with the node's own sequence
     * (retransmissions too: they share the receiver's link). One that does not fit goes unstamped.
     */
    private static void stampTransportSequence(Subscription s, PacketBuffer p) {
        Participant receiver = s.receiver;
        if (receiver.subscribeTwccId < 0) {
            return;
        }
        int len = receiver.downlink.stamp(p.getBuffer(), p.getOffset(), p.getLength(),
                p.capacity() - p.getOffset() - SRTP_TRAILER_ROOM, receiver.subscribeTwccId, System.nanoTime() / 1000,
                s.dependencyDescriptorId > 0 ? s.track.dependencyDescriptorId : -1, s.dependencyDescriptorId);
        if (len > 0) {
            p.setLength(len);
        }
    }

    void onRtcp(Participant from, boolean fromPublishConnection, PacketBuffer p) {
        byte[] b = p.getBuffer();
        int pos = p.getOffset();
        int end = pos + p.getLength();
        long now = System.nanoTime();
        while (pos < end) {
            int len = Rtcp.packetLength(b, pos);
            int type = Rtcp.packetType(b, pos);
            int fmt = Rtcp.countOrFmt(b, pos);
            if (fromPublishConnection) {
                if (type == Rtcp.SR && len >= 28) {
                    Track t = from.publishedTrackBySsrc(Rtcp.senderSsrc(b, pos));
                    if (t != null) {
                        long ntpMiddle = (Rtp.readUint32(b, pos + 8) << 16 | Rtp.readUint32(b, pos + 12) >>> 16)
                                & 0xFFFFFFFFL;
                        t.stats.onSenderReport(ntpMiddle, now);
                        forwardSenderReport(t, b, pos, ntpMiddle, now);
                    }
                }
            } else if (type == Rtcp.PSFB && (fmt == Rtcp.FMT_PLI || fmt == Rtcp.FMT_FIR) && len >= 12) {
                int ssrc = fmt == Rtcp.FMT_FIR && len >= 20 ? (int) Rtp.readUint32(b, pos + 12) : Rtcp.mediaSsrc(b, pos);
                Subscription s = from.subscriptionBySsrc(ssrc);
                if (s != null) {
                    s.pliCount++;
                    s.track.pliCount++;
                    requestKeyframe(s.track);
                }
            } else if (type == Rtcp.RTPFB && fmt == TransportCc.FMT) {
                if (!from.downlink.onFeedback(b, pos, len, now / 1000)) {
                    ctx.drops().drop(DropReason.RTCP_MALFORMED, from.id + ": transport-cc feedback");
                }
            } else if (type == Rtcp.RTPFB && fmt == Rtcp.FMT_NACK && len >= 16) {
                Subscription s = from.subscriptionBySsrc(Rtcp.mediaSsrc(b, pos));
                if (s != null) {
                    s.nackCount++;
                    s.track.nackCount++;
                    retransmit(s, b, pos, len, now);
                }
            } else if ((type == Rtcp.RR || type == Rtcp.SR) && len >= 8) {
                recordReceiverReport(from, b, pos, len, type, now);
            }
            pos += len;
        }
    }

    private void recordReceiverReport(Participant receiver, byte[] b, int pos, int len, int type, long now) {
        int count = Rtcp.countOrFmt(b, pos);
        int block = pos + (type == Rtcp.SR ? 28 : 8);
        for (int i = 0; i < count && block + 24 <= pos + len; i++, block += 24) {
            Subscription s = receiver.subscriptionBySsrc((int) Rtp.readUint32(b, block));
            if (s != null) {
                s.fractionLost = b[block + 4] & 0xFF;
                s.cumulativeLost = Rtp.readUint32(b, block + 4) & 0xFFFFFF;
                s.jitter = Rtp.readUint32(b, block + 12);
                long lsr = Rtp.readUint32(b, block + 16);
                long dlsr = Rtp.readUint32(b, block + 20);
                // RFC 3550 6.4.1: the report echoes the SR we forwarded; RTT = now - sent - its delay.
                if (lsr != 0 && lsr == s.lastSrNtpMiddle) {
                    double rtt = (now - s.lastSrSentNanos) / 1e6 - dlsr * 1000.0 / 65536.0;
                    if (rtt >= 0) {
                        s.rttMillis = rtt;
                    }
                }
            }
        }
    }

    /** Sender reports let receivers sync audio and video; report blocks in them are about other streams. */
    private void forwardSenderReport(Track t, byte[] b, int pos, long ntpMiddle, long now) {
        PacketPool pool = ctx.pool();
        for (Subscription s : t.receivers) {
            PeerTransport out = s.receiver.subscribeTransport();
            if (!s.active || !s.negotiated || out == null || !out.isConnected()) {
                continue;
            }
            PacketBuffer sr = pool.acquire();
            try {
                sr.set(b, pos, 28);
                byte[] o = sr.getBuffer();
                o[0] = (byte) 0x80; // RC = 0
                Rtp.writeUint16(o, 2, 6);
                if (out.sendRtcp(sr)) {
                    s.lastSrNtpMiddle = ntpMiddle;
                    s.lastSrSentNanos = now;
                }
            } finally {
                pool.release(sr);
            }
        }
    }

    /**
     * Answers a receiver's NACK from the track's cache (RTX form where the receiver negotiated it);
     * the sequence numbers the cache no longer holds are asked of the publisher in a NACK of our own.
     */
    private void retransmit(Subscription s, byte[] b, int pos, int len, long now) {
        Track t = s.track;
        int lost = Nack.lostSequences(b, pos, len, nackSequences);
        int missing = 0;
        PeerTransport out = s.receiver.subscribeTransport();
        PacketPool pool = ctx.pool();
        if (s.layers != null) {
            retransmitLayer(s, lost, now);
            return;
        }
        for (int i = 0; i < lost; i++) {
            // A layered track's receiver names its own (rewritten) numbers.
            int seq = s.svc == null ? nackSequences[i] : s.svc.inputSequenceOf(nackSequences[i]);
            if (seq < 0) {
                continue; // sent too long ago to be placed
            }
            int slot = t.sent == null ? -1 : t.sent.find(seq, now);
            if (slot < 0 || out == null || !out.isConnected()) {
                nackMissing[missing++] = seq;
                continue;
            }
            if (s.svc != null) {
                sendRewritten(s, out, t.sent.buffer(slot), t.sent.length(slot), nackSequences[i]);
                continue;
            }
            PacketBuffer resend = pool.acquire();
            try {
                sendResend(s, out, t.sent.buffer(slot), 0, t.sent.length(slot), resend);
            } finally {
                pool.release(resend);
            }
        }
        if (missing > 0) {
            askPublisher(t, nackMissing, missing);
        }
    }

    /**
     * Resends of a simulcast track: the receiver NACKs output sequence numbers; each maps back to
     * its layer and input sequence, is taken from that layer's cache and rewritten as it went out
     * (then put in RTX form where negotiated). What is not cached any more is not asked of the
     * publisher: a simulcast layer is replaced by its next keyframe soon enough.
     */
    private void retransmitLayer(Subscription s, int lost, long now) {
        Track t = s.track;
        PeerTransport out = s.receiver.subscribeTransport();
        if (out == null || !out.isConnected()) {
            return;
        }
        for (int i = 0; i < lost; i++) {
            int outSeq = nackSequences[i];
            int layer = s.layers.layerOf(outSeq);
            int slot = layer < 0 ? -1 : t.layerCaches[layer].find(s.layers.inputSequenceOf(outSeq), now);
            if (slot >= 0) {
                sendRewritten(s, out, t.layerCaches[layer].buffer(slot), t.layerCaches[layer].length(slot), outSeq);
            }
        }
    }

    /**
     * Resends cached packet {@code cached[0, len)} as it went out to {@code s}'s receiver under
     * {@code outSeq}: simulcast and layered (SVC) forwarding renumber per receiver, so the copy is
     * rewritten by the subscription's forwarder first; nothing is sent if it no longer knows it.
     */
    private void sendRewritten(Subscription s, PeerTransport out, byte[] cached, int len, int outSeq) {
        PacketPool pool = ctx.pool();
        PacketBuffer original = pool.acquire();
        PacketBuffer resend = pool.acquire();
        try {
            original.set(cached, 0, len);
            byte[] b = original.getBuffer();
            boolean known = s.layers != null ? s.layers.rewriteResend(outSeq, b, original.getOffset())
                    : s.svc.rewriteResend(outSeq, b, original.getOffset());
            if (known) {
                sendResend(s, out, b, original.getOffset(), original.getLength(), resend);
            }
        } finally {
            pool.release(resend);
            pool.release(original);
        }
    }

    /**
     * Sends the packet {@code cached[off, off+len)} again to {@code s}'s receiver through
     * {@code resend}: in RFC 4588 form (its own SSRC and numbering) where the receiver took RTX,
     * as the original otherwise; counted as a retransmission and as sent.
     */
    private void sendResend(Subscription s, PeerTransport out, byte[] cached, int off, int len, PacketBuffer resend) {
        Track t = s.track;
        if (s.rtxPayloadType >= 0) {
            resend.setOffset(0);
            resend.setLength(Rtx.write(cached, off, len, resend.getBuffer(), 0, t.rtxSsrc, s.rtxPayloadType,
                    s.rtxSequence));
            s.rtxSequence = (s.rtxSequence + 1) & 0xFFFF;
        } else {
            resend.set(cached, off, len);
        }
        stampTransportSequence(s, resend);
        int length = resend.getLength();
        if (out.sendRtp(resend)) {
            s.retransmissions++;
            t.retransmissions++;
            s.packetsSent++;
            s.bytesSent += length;
            metrics.forwarded(t.packetKind, length, 0);
        }
    }

    /**
     * Every {@link #SELECTION_INTERVAL_MILLIS}: the simulcast layer each receiver should get, from
     * its downlink estimate (shared evenly by the simulcast videos it receives) and the tile size
     * it asked for; a receiver waiting for a new layer's keyframe gets one asked for (throttled).
     */
    void selectLayers() {
        try {
            selectLayersOnce();
        } catch (RuntimeException e) {
            // a bug here must not cancel the schedule for every call
            LOG.log(System.Logger.Level.ERROR, "simulcast layer selection failed", e);
        }
    }

    private void selectLayersOnce() {
        for (Call call : calls.values()) {
            for (Participant p : call.participants.values()) {
                int n = 0;
                for (Subscription s : p.subscriptions) {
                    if (s.active && s.selected && (s.layers != null || s.svc != null)) {
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                long estimate = p.downlinkEstimateBps();
                long budget = estimate < 0 ? Long.MAX_VALUE / 2 : estimate / n;
                for (Subscription s : p.subscriptions) {
                    countSwitches(s);
                    if (s.active && s.selected && s.svc != null) {
                        selectSvcLayers(s, budget);
                    }
                    if (!s.active || !s.selected || s.layers == null) {
                        continue;
                    }
                    Track t = s.track;
                    int layer = LayerSelector.choose(budget, s.viewportHeight, t.layerHeights, t.layerBitrates);
                    if (layer < 0) {
                        // no rates measured yet: start low, where a keyframe is cheapest
                        for (int i = 0; i < t.layerSsrcs.length && layer < 0; i++) {
                            if (t.layerSsrcs[i] != 0) {
                                layer = i;
                            }
                        }
                    }
                    if (layer >= 0) {
                        s.layers.setTarget(layer);
                    }
                    if (s.layers.needsKeyframe() && s.negotiated) {
                        requestKeyframe(t);
                    }
                }
            }
        }
    }

    /** Adds the layer switches of {@code s} since the last round to the metrics (here, not per packet). */
    private void countSwitches(Subscription s) {
        long switches = s.layers != null ? s.layers.switches() : s.svc != null ? s.svc.switches() : 0;
        if (switches > s.switchesCounted) {
            metrics.layerSwitches(s.svc != null, switches - s.switchesCounted);
            s.switchesCounted = switches;
        }
    }

    /**
     * A layered (SVC) track: the spatial layer from the receiver's budget and tile, as for
     * simulcast, rated at full frame rate; where even the lowest spatial layer does not fit, fewer
     * temporal layers (a lower frame rate) before losing packets.
     */
    private void selectSvcLayers(Subscription s, long budget) {
        Track t = s.track;
        DependencyDescriptor.Structure st = t.layerStructure();
        if (st == null) {
            return;
        }
        long now = System.nanoTime();
        int spatialLayers = st.maxSpatialId() + 1;
        int[] heights = new int[spatialLayers];
        long[] bitrates = new long[spatialLayers];
        for (int sp = 0; sp < spatialLayers; sp++) {
            heights[sp] = st.renderHeights() == null ? 0 : st.renderHeights()[sp];
            bitrates[sp] = t.targetBitrates[SvcForwarder.decodeTarget(st, sp, -1)];
        }
        int spatial = LayerSelector.choose(budget, s.viewportHeight, heights, bitrates);
        if (spatial < 0) {
            return; // no rates yet: all layers flow, as they came with the first keyframe
        }
        int temporal = -1;
        if (spatial == 0) {
            int maxTemporal = st.decodeTargetTemporalIds()[SvcForwarder.decodeTarget(st, 0, -1)];
            for (temporal = maxTemporal; temporal > 0; temporal--) {
                if (t.targetBitrates[SvcForwarder.decodeTarget(st, 0, temporal)] <= budget * LayerSelector.HEADROOM) {
                    break;
                }
            }
            if (temporal == maxTemporal) {
                temporal = -1;
            }
        }
        if (temporal < 0 && spatial < LayerSelector.choose(budget, 0, heights, bitrates)) {
            s.svc.setTarget(spatial, temporal, now); // the tile, not the budget, limits it: no hold
        } else {
            s.svc.choose(spatial, temporal, now);
        }
        if (s.svc.needsKeyframe(now) && s.negotiated) {
            requestKeyframe(t);
        }
    }

    /** A NACK from the node to the publisher for packets it cannot resend itself. */
    private void askPublisher(Track t, int[] sequences, int count) {
        PeerTransport pub = t.owner.publishTransport();
        if (pub == null || !pub.isConnected()) {
            return;
        }
        PacketBuffer nack = ctx.pool().acquire();
        try {
            nack.setOffset(0);
            nack.setLength(Nack.write(nack.getBuffer(), 0, pub.localSsrc(), t.ssrc, sequences, count));
            pub.sendRtcp(nack);
        } finally {
            ctx.pool().release(nack);
        }
    }

    /** Asks the publisher of {@code t} for a keyframe, at most once per keyframe interval. */
    void requestKeyframe(Track t) {
        if (t.kind != TrackKind.video || t.ended) {
            return;
        }
        long wait = t.keyframes.request(System.nanoTime());
        if (wait == 0) {
            sendPli(t);
        } else if (wait > 0) {
            ctx.mediaLoop().schedule(() -> {
                if (!t.ended && t.keyframes.fireDeferred(System.nanoTime())) {
                    sendPli(t);
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void sendPli(Track t) {
        PeerTransport pub = t.owner.publishTransport();
        if (pub == null || !pub.isConnected()) {
            return;
        }
        PacketBuffer pli = ctx.pool().acquire();
        try {
            pli.setOffset(0);
            if (t.simulcast()) {
                // One PLI per known layer: which layer a receiver waits for changes faster than
                // the throttle lets requests through, and Chrome encodes the layers together anyway.
                int len = 0;
                for (int layerSsrc : t.layerSsrcs) {
                    if (layerSsrc != 0) {
                        len += Rtcp.writePli(pli.getBuffer(), len, pub.localSsrc(), layerSsrc);
                    }
                }
                if (len == 0) {
                    return;
                }
                pli.setLength(len);
            } else {
                pli.setLength(Rtcp.writePli(pli.getBuffer(), 0, pub.localSsrc(), t.ssrc));
            }
            if (pub.sendRtcp(pli)) {
                t.keyframeRequests++;
            }
            pub.flush();
        } finally {
            ctx.pool().release(pli);
        }
    }

    /** Once a second: a receiver report and a REMB to every publisher. */
    private void tick() {
        long now = System.nanoTime();
        double seconds = lastTickNanos == 0 ? 0 : (now - lastTickNanos) / 1e9;
        lastTickNanos = now;
        try {
            List<Participant> silent = null;
            for (Call call : calls.values()) {
                for (Participant p : call.participants.values()) {
                    if (p.consentExpired(now, limits.consentTimeoutNanos())) {
                        if (silent == null) {
                            silent = new ArrayList<>();
                        }
                        silent.add(p);
                        continue;
                    }
                    sendReports(p, now);
                    for (Track t : p.published.values()) {
                        t.updateRate(seconds);
                    }
                    for (Subscription s : p.subscriptions) {
                        s.updateRate(seconds);
                    }
                }
            }
            if (silent != null) {
                for (Participant p : silent) {
                    LOG.log(System.Logger.Level.INFO, "call {0}: {1} sent nothing for {2} s; consent expired (RFC 7675)",
                            p.call.id, p.id, TimeUnit.NANOSECONDS.toSeconds(limits.consentTimeoutNanos()));
                    kick(p, CONSENT_EXPIRED);
                }
            }
            for (Runnable l : tickListeners) {
                l.run();
            }
        } catch (RuntimeException e) {
            // A bug in one report must not stop the timer for every call.
            LOG.log(System.Logger.Level.ERROR, "report tick failed", e);
        }
        ctx.sink().flush();
    }

    private void sendReports(Participant p, long now) {
        PeerTransport pub = p.publishTransport();
        if (pub == null || !pub.isConnected() || p.published.isEmpty()) {
            return;
        }
        int n = 0;
        for (Track t : p.published.values()) {
            if (n == MAX_TRACKS_PER_REPORT || !t.stats.started()) {
                continue;
            }
            rrSsrc[n] = t.reportSsrc();
            rrFraction[n] = t.stats.fractionLostAndReset();
            rrLost[n] = (int) Math.min(Integer.MAX_VALUE, t.stats.cumulativeLost());
            rrSeq[n] = t.stats.extendedHighestSeq();
            rrJitter[n] = t.stats.jitter();
            rrLsr[n] = t.stats.lastSrNtpMiddle();
            rrDlsr[n] = t.stats.delaySinceLastSr(now);
            n++;
        }
        PacketBuffer out = ctx.pool().acquire();
        try {
            byte[] b = out.getBuffer();
            int len = Rtcp.writeReceiverReport(b, 0, pub.localSsrc(), n, rrSsrc, rrFraction, rrLost, rrSeq,
                    rrJitter, rrLsr, rrDlsr);
            if (n > 0) {
                len += Rtcp.writeRemb(b, len, pub.localSsrc(), ctx.publisherBitrateBps(), rrSsrc, n);
            }
            out.setOffset(0);
            out.setLength(len);
            pub.sendRtcp(out);
        } finally {
            ctx.pool().release(out);
        }
    }
}
