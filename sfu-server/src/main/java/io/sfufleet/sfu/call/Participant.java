package io.sfufleet.sfu.call;

import io.netty.util.collection.IntObjectHashMap;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.ParticipantInfo;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.bwe.ArrivalRecorder;
import io.sfufleet.sfu.bwe.DownlinkEstimate;
import io.sfufleet.sfu.dtls.DtlsFingerprint;
import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.rtp.AudioLevel;
import io.sfufleet.sfu.rtp.DependencyDescriptor;
import io.sfufleet.sfu.rtp.HeaderExtensions;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.rtp.TransportSequence;
import io.sfufleet.sfu.sdp.Codecs;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SdpWriter;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.sdp.Simulcast;
import io.sfufleet.sfu.transport.DropReason;
import io.sfufleet.sfu.transport.PeerTransport;
import io.sfufleet.sfu.transport.TransportListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One participant: its two connections (publish: it offers, we receive; subscribe: we offer, we
 * send), the tracks it publishes, and the m-sections it receives. Confined to the media loop.
 */
public final class Participant implements TransportListener {
    private static final System.Logger LOG = System.getLogger(Participant.class.getName());
    private static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    private static final List<String> ACCEPTED_EXTENSIONS = List.of(
            "urn:ietf:params:rtp-hdrext:sdes:mid",
            AUDIO_LEVEL,
            TransportSequence.URI,
            Simulcast.RID,
            Simulcast.REPAIRED_RID,
            DependencyDescriptor.URI);
    /**
     * The id the node gives the transport-wide sequence extension in subscribe offers. Forwarded
     * packets carry only this element ({@link TransportSequence#stamp}), so no other id matters.
     */
    static final int SUBSCRIBE_TWCC_ID = 3;
    /** The id of the dependency descriptor in subscribe offers of layered (SVC) video. */
    static final int SUBSCRIBE_DD_ID = 12;

    final String id;
    final String name;
    /** What the join token allows: checked on every publish offer and before any subscription. */
    final JoinGrant grant;
    final long joinedAtMillis = System.currentTimeMillis();
    final Call call;
    final SignalPeer peer;
    private final CallManager manager;
    private final MediaContext ctx;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    private PeerTransport publish;
    private PeerTransport subscribe;
    /** Published tracks by the mid of their m-section in the publish SDP. */
    final Map<String, Track> published = new LinkedHashMap<>();
    private final IntObjectHashMap<Track> publishedBySsrc = new IntObjectHashMap<>();
    private int nextTrack;

    final List<Subscription> subscriptions = new ArrayList<>();
    private int subscribeRevision;
    private int outstandingRevision = -1;
    private int offeredCount;
    private boolean renegotiationScheduled;
    private boolean left;
    /** When this participant's audio last was loud enough to count as speaking; 0 if never. */
    long lastSpokeNanos;
    /** How long the first subscribe offer waits for the client's first publish offer. */
    static final long FIRST_OFFER_WAIT_MILLIS = 500;
    /** Of the audio packets nobody receives, one in this many is decrypted anyway (see beforeDecrypt). */
    static final int AUTHENTICATE_EVERY = 50;
    /** The first subscribe offer was held back once already (or must not be: test fixtures set it). */
    boolean firstOfferHeld;
    private boolean waitingForPublishOffer;

    /**
     * The client offered RTX (RFC 4588) for video on its publish connection, so it can take
     * resends in that form: only then do its subscribe offers announce RTX SSRCs, which a client
     * without RTX could mistake for streams of their own.
     */
    boolean receivesRtx;
    /** The client's a=ice-ufrag of its last publish offer: a new one is an ICE restart. */
    private String publishRemoteUfrag;
    /**
     * Something only a new subscribe offer can tell the client changed (new ICE credentials, RTX
     * now known to be welcome) and no offer has carried it yet.
     */
    private boolean subscribeOfferStale;
    /**
     * Transport-wide CC toward the publisher: the id of the sequence extension in its last offer
     * (-1 if it did not offer it) and the arrivals the node reports back, so Chrome's send-side
     * estimator can ramp its uplink up.
     */
    int publishTwccId = -1;
    /** Publish-side ids of the mid and rid extensions (-1: not offered), to learn simulcast SSRCs. */
    private int publishMidId = -1;
    private int publishRidId = -1;
    final ArrivalRecorder publishArrivals = new ArrivalRecorder();
    /**
     * Transport-wide CC toward the receiver: {@link #SUBSCRIBE_TWCC_ID} once its answer accepted
     * the extension (-1 until then), and the estimate of its downlink from its feedback.
     */
    int subscribeTwccId = -1;
    final DownlinkEstimate downlink = new DownlinkEstimate();

    Participant(String id, JoinGrant grant, Call call, SignalPeer peer, CallManager manager, MediaContext ctx) {
        this.id = id;
        this.name = grant.subject();
        this.grant = grant;
        this.call = call;
        this.peer = peer;
        this.manager = manager;
        this.ctx = ctx;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public JoinGrant grant() {
        return grant;
    }

    public long joinedAtMillis() {
        return joinedAtMillis;
    }

    public Collection<Track> tracks() {
        return published.values();
    }

    /** What this participant receives: the active m-sections of its subscribe connection. */
    public List<Subscription> receiving() {
        List<Subscription> out = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (s.active) {
                out.add(s);
            }
        }
        return out;
    }

    public Call call() {
        return call;
    }

    public String remoteSignalAddress() {
        return peer.remoteAddress();
    }

    public PeerTransport publishTransport() {
        return publish;
    }

    public PeerTransport subscribeTransport() {
        return subscribe;
    }

    /** The node's estimate of this participant's downlink from its transport-cc feedback; -1 without any. */
    public long downlinkEstimateBps() {
        return downlink.feedbackPackets() == 0 ? -1 : downlink.estimateBps();
    }

    ParticipantInfo info() {
        List<io.sfufleet.model.signal.TrackInfo> ts = new ArrayList<>();
        for (Track t : published.values()) {
            ts.add(t.info());
        }
        return new ParticipantInfo(id, name, joinedAtMillis, ts);
    }

    // ---------------------------------------------------------------- publish side

    public void onPublishOffer(PublishOffer offer) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(offer.sdp());
            requireIceAndDtls(sdp);
            requireUniqueMids(sdp);
        } catch (SdpException e) {
            peer.send(new ErrorMessage(ErrorCode.SDP_REJECTED, "publish offer: " + e.getMessage(), false));
            return;
        }
        MediaSection first = sdp.media().get(0);
        String remoteUfrag = sdp.attribute(first, "ice-ufrag");
        if (publish == null) {
            publish = ctx.newTransport(call.id + "/" + id + "/publish", this);
        } else if (publishRemoteUfrag != null && !publishRemoteUfrag.equals(remoteUfrag)) {
            restartIce();
        }
        publishRemoteUfrag = remoteUfrag;
        for (MediaSection m : sdp.media()) {
            if (!receivesRtx && m.kind().equals("video") && m.rtpmaps().values().stream()
                    .anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).startsWith("rtx/"))) {
                receivesRtx = true;
            }
        }
        if (waitingForPublishOffer) {
            // the first subscribe offer was held back for this (see sendSubscribeOfferIfIdle)
            waitingForPublishOffer = false;
            scheduleRenegotiation();
        }
        publish.setRemoteFingerprint(sdp.attribute(first, "fingerprint"));
        publishTwccId = -1;
        for (MediaSection m : sdp.media()) {
            if (m.port() != 0 && Codecs.choose(m, ctx.videoCodecs()) != null && publishTwccId < 0) {
                publishTwccId = extensionId(m, TransportSequence.URI); // one id for the bundle
            }
            if (m.port() != 0 && Codecs.choose(m, ctx.videoCodecs()) != null) {
                publishMidId = Math.max(publishMidId, extensionId(m, "urn:ietf:params:rtp-hdrext:sdes:mid"));
                publishRidId = Math.max(publishRidId, extensionId(m, Simulcast.RID));
            }
        }

        Map<String, PublishedTrack> declared = new LinkedHashMap<>();
        for (PublishedTrack pt : offer.tracks()) {
            declared.put(pt.mid(), pt);
        }
        // Mixed one- and two-byte header extensions where the client offers them: Chrome sends
        // the dependency descriptor (whose keyframe structure is over 16 bytes) only then.
        SdpWriter w = header(sdp.media().stream().filter(m -> m.port() != 0 && Codecs.choose(m, ctx.videoCodecs()) != null)
                .map(MediaSection::mid).toList(), sdp.sessionAttribute("extmap-allow-mixed") != null);
        List<String> stillPublished = new ArrayList<>();
        List<Track> added = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        for (MediaSection m : sdp.media()) {
            Codecs.Choice codec = m.port() == 0 ? null : Codecs.choose(m, ctx.videoCodecs());
            if (codec == null) {
                w.line("m=" + m.kind() + " 0 " + m.proto() + " " + (m.formats().isEmpty() ? "0" : m.formats().get(0)));
                if (m.mid() != null) {
                    w.attr("mid", m.mid());
                }
                continue;
            }
            PublishedTrack decl = declared.get(m.mid());
            boolean sending = m.remoteSends() && decl != null;
            TrackKind kind = m.kind().equals("audio") ? TrackKind.audio : TrackKind.video;
            if (sending && !grant.mayPublish(kind, decl.source())) {
                sending = false;
                forbidden.add(decl.source() + " " + kind + " (mid " + m.mid() + ") needs "
                        + JoinGrant.requiredToPublish(kind, decl.source()).claim());
            }
            // Simulcast only where the node can find keyframes to switch layers at (VP8); otherwise
            // the answer has no a=simulcast and the browser sends its first encoding alone.
            List<String> rids = kind == TrackKind.video && codec.rtpmap().regionMatches(true, 0, "VP8/", 0, 4)
                    ? Simulcast.sendRids(m) : List.of();
            Track before = published.get(m.mid());
            // Simulcast layers have no a=ssrc lines (their SSRCs come with the rid extension); the
            // track gets the node's own outgoing SSRC, kept across renegotiations.
            int ssrc = !sending ? 0 : rids.isEmpty() ? primarySsrc(m)
                    : before != null && before.simulcast() ? before.ssrc : ThreadLocalRandom.current().nextInt() | 1;
            if (sending && ssrc == 0) {
                // Without an a=ssrc line we could not tell this stream's packets from another's.
                sending = false;
                LOG.log(System.Logger.Level.INFO, "{0}: m-section {1} has no a=ssrc; not published", id, m.mid());
            }
            writeMediaSection(w, m.kind(), m.mid(), codec, sending ? "recvonly" : "inactive",
                    "passive", publish, null, acceptedExtensions(m), false);
            if (sending && !rids.isEmpty()) {
                Simulcast.writeRecv(w, rids);
            }
            if (sending) {
                stillPublished.add(m.mid());
                int levelId = extensionId(m, AUDIO_LEVEL);
                Track existing = published.get(m.mid());
                if (existing == null || existing.ssrc != ssrc) {
                    if (existing != null) {
                        unpublish(existing);
                    }
                    Track t = new Track(id + "-" + (nextTrack++), this, m.mid(), kind, decl.source(), ssrc, codec, decl.muted(), manager.limits().keyframeIntervalNanos());
                    if (!rids.isEmpty()) {
                        t.enableSimulcast(rids);
                    }
                    published.put(m.mid(), t);
                    publishedBySsrc.put(ssrc, t);
                    added.add(t);
                }
                published.get(m.mid()).audioLevelExtensionId = kind == TrackKind.audio ? levelId : -1;
                published.get(m.mid()).dependencyDescriptorId =
                        kind == TrackKind.video ? extensionId(m, DependencyDescriptor.URI) : -1;
            }
        }
        for (Track t : List.copyOf(published.values())) {
            if (!stillPublished.contains(t.publishMid)) {
                unpublish(t);
            }
        }
        peer.send(new PublishAnswer(w.toString()));
        if (!forbidden.isEmpty()) {
            // After the answer, so the client's negotiation completes with those m-sections inactive.
            LOG.log(System.Logger.Level.INFO, "{0}/{1}: not published, the join token does not permit {2}",
                    call.id, id, forbidden);
            peer.send(new ErrorMessage(ErrorCode.FORBIDDEN, "not published: your join token does not permit "
                    + String.join("; ", forbidden), false));
        }
        for (Track t : added) {
            manager.trackPublished(this, t);
        }
    }

    private static void requireIceAndDtls(SessionDescription sdp) throws SdpException {
        MediaSection m = sdp.media().get(0);
        if (sdp.attribute(m, "ice-ufrag") == null || sdp.attribute(m, "ice-pwd") == null) {
            throw new SdpException("a=ice-ufrag and a=ice-pwd are required");
        }
        String fp = sdp.attribute(m, "fingerprint");
        if (fp == null) {
            throw new SdpException("a=fingerprint is required (e.g. a=fingerprint:sha-256 AB:CD:...)");
        }
        try {
            DtlsFingerprint.parse(fp);
        } catch (IllegalArgumentException e) {
            throw new SdpException("a=fingerprint is unusable: " + e.getMessage());
        }
    }

    /** BUNDLE, the answer and the declared tracks all name m-sections by mid (RFC 8843 section 7.2). */
    private static void requireUniqueMids(SessionDescription sdp) throws SdpException {
        Set<String> mids = new HashSet<>();
        for (MediaSection m : sdp.media()) {
            String mid = m.mid();
            if (mid == null || mid.isBlank() || !mids.add(mid)) {
                throw new SdpException("every m-section needs an a=mid of its own, got " + (mid == null ? "none" : "'" + mid + "'"));
            }
        }
    }

    private static int primarySsrc(MediaSection m) {
        List<Long> secondary = m.secondarySsrcs();
        for (long s : m.ssrcs()) {
            if (!secondary.contains(s)) {
                return (int) s;
            }
        }
        return 0;
    }

    private static int extensionId(MediaSection m, String uri) {
        for (var e : m.extmaps().entrySet()) {
            if (e.getValue().equals(uri)) {
                return e.getKey();
            }
        }
        return -1;
    }

    private static Map<Integer, String> acceptedExtensions(MediaSection m) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (var e : m.extmaps().entrySet()) {
            if (ACCEPTED_EXTENSIONS.contains(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private void unpublish(Track t) {
        published.remove(t.publishMid);
        publishedBySsrc.remove(t.ssrc);
        if (t.layerSsrcs != null) {
            for (int layerSsrc : t.layerSsrcs) {
                if (layerSsrc != 0 && publishedBySsrc.get(layerSsrc) == t) {
                    publishedBySsrc.remove(layerSsrc);
                }
            }
        }
        t.ended = true;
        manager.trackUnpublished(this, t);
    }

    /** Mute state change from the client: relayed to the others. */
    public void onSetMuted(MediaSource source, boolean muted) {
        for (Track t : published.values()) {
            if (t.source == source && (t.muted != muted || (!muted && t.adminMuted))) {
                t.muted = muted;
                if (!muted) {
                    // the participant lifted an admin mute by unmuting, as in any meeting tool
                    t.adminMuted = false;
                }
                manager.trackMuted(this, t);
            }
        }
    }

    /** The client shows track {@code trackId} in a tile {@code height} device pixels tall (0: no limit). */
    public void onSetViewport(String trackId, int height) {
        for (Subscription s : subscriptions) {
            if (s.active && s.track.trackId.equals(trackId)) {
                s.viewportHeight = height;
            }
        }
    }

    /**
     * The client restarted ICE on its publish connection (new ufrag in its offer, RFC 8839 section
     * 4.4.1.1.2): its network changed, so the subscribe connection needs a new path too. Both get
     * new credentials; the subscribe one reaches the client in the next subscribe offer, to which
     * the browser answers with a restart of its own.
     */
    private void restartIce() {
        publish.restartIce(IceCredentials.random());
        if (subscribe != null) {
            subscribe.restartIce(IceCredentials.random());
            subscribeOfferStale = true;
            scheduleRenegotiation();
        }
    }

    // ---------------------------------------------------------------- subscribe side

    /** Adds an m-section for {@code t} to our subscribe connection and renegotiates. */
    void subscribe(Track t) {
        if (!grant.maySubscribe()) {
            return; // no m-section, so never a subscribe offer
        }
        Subscription s = new Subscription(t, this, Integer.toString(subscriptions.size()));
        subscriptions.add(s);
        t.addReceiver(s);
        scheduleRenegotiation();
    }

    void unsubscribe(Track t) {
        for (Subscription s : subscriptions) {
            if (s.track == t && s.active) {
                s.active = false;
                t.removeReceiver(s);
                scheduleRenegotiation();
            }
        }
    }

    private void scheduleRenegotiation() {
        if (renegotiationScheduled || left) {
            return;
        }
        renegotiationScheduled = true;
        // Posted, not run now: several changes in one task (a participant with two tracks joins)
        // become one offer.
        ctx.mediaLoop().execute(() -> {
            renegotiationScheduled = false;
            sendSubscribeOfferIfIdle();
        });
    }

    private void sendSubscribeOfferIfIdle() {
        if (left || outstandingRevision >= 0 || subscriptions.isEmpty()) {
            return;
        }
        if (subscribeRevision == 0 && publishRemoteUfrag == null && !firstOfferHeld) {
            // Whether the client takes RTX shows in its publish offer, which browsers send right
            // after joining; an m-section's RTX can only be set in its first offer (Chrome keeps
            // the receive stream it made then). Wait for it, briefly: clients that never publish
            // get their first offer FIRST_OFFER_WAIT_MILLIS later.
            firstOfferHeld = true;
            waitingForPublishOffer = true;
            ctx.mediaLoop().schedule(() -> {
                waitingForPublishOffer = false;
                sendSubscribeOfferIfIdle();
            }, FIRST_OFFER_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        if (waitingForPublishOffer) {
            return;
        }
        if (subscribe == null) {
            subscribe = ctx.newTransport(call.id + "/" + id + "/subscribe", this);
        }
        subscribeRevision++;
        List<String> mids = subscriptions.stream().map(s -> s.mid).toList();
        SdpWriter w = header(mids, true);
        for (Subscription s : subscriptions) {
            Track t = s.track;
            if (!s.offeredActive && s.active && !s.everOffered) {
                s.everOffered = true;
                s.rtxOffered = receivesRtx && t.rtxPayloadType >= 0;
            }
            s.offeredActive = s.active;
            // The dependency descriptor of a layered (SVC) track goes on to the receiver: its
            // decoder places the frames of the layers it gets by it.
            Map<Integer, String> extensions = t.layered()
                    ? Map.of(SUBSCRIBE_TWCC_ID, TransportSequence.URI, SUBSCRIBE_DD_ID, DependencyDescriptor.URI)
                    : Map.of(SUBSCRIBE_TWCC_ID, TransportSequence.URI);
            writeMediaSection(w, t.kind.name(), s.mid, t.codec, s.active ? "sendonly" : "inactive",
                    "actpass", subscribe, s.active ? t : null, new java.util.TreeMap<>(extensions), s.rtxOffered);
        }
        outstandingRevision = subscribeRevision;
        offeredCount = subscriptions.size();
        subscribeOfferStale = false;
        peer.send(new SubscribeOffer(w.toString(), subscribeRevision));
    }

    public void onSubscribeAnswer(SubscribeAnswer answer) {
        if (answer.revision() != outstandingRevision) {
            peer.send(new ErrorMessage(ErrorCode.STALE_REVISION,
                    "no subscribe offer with revision " + answer.revision() + " is outstanding", false));
            return;
        }
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(answer.sdp());
            requireIceAndDtls(sdp);
        } catch (SdpException e) {
            outstandingRevision = -1;
            peer.send(new ErrorMessage(ErrorCode.SDP_REJECTED, "subscribe answer: " + e.getMessage(), false));
            return;
        }
        outstandingRevision = -1;
        subscribe.setRemoteFingerprint(sdp.attribute(sdp.media().get(0), "fingerprint"));
        for (MediaSection m : sdp.media()) {
            if (m.port() != 0 && extensionId(m, TransportSequence.URI) == SUBSCRIBE_TWCC_ID) {
                subscribeTwccId = SUBSCRIBE_TWCC_ID; // the answer kept it (RFC 8285 section 6)
            }
        }
        for (MediaSection m : sdp.media()) {
            Subscription s = subscriptionByMid(m.mid());
            if (s != null && s.offeredActive) {
                s.rtxPayloadType = s.rtxOffered && acceptsRtx(m, s.track) ? s.track.rtxPayloadType : -1;
                s.dependencyDescriptorId = m.port() != 0 && extensionId(m, DependencyDescriptor.URI) == SUBSCRIBE_DD_ID
                        ? SUBSCRIBE_DD_ID : -1;
            }
        }
        List<Track> needKeyframe = new ArrayList<>();
        for (int i = 0; i < offeredCount && i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            if (s.offeredActive && !s.negotiated) {
                s.negotiated = true;
                if (s.track.kind == TrackKind.video) {
                    needKeyframe.add(s.track);
                }
            } else if (!s.offeredActive) {
                s.negotiated = false;
            }
        }
        if (subscribe.isConnected()) {
            for (Track t : needKeyframe) {
                manager.requestKeyframe(t);
            }
        }
        // Changes that came while the offer was out go in the next one.
        if (offeredCount != subscriptions.size() || hasUnofferedChanges() || subscribeOfferStale) {
            scheduleRenegotiation();
        }
    }

    private Subscription subscriptionByMid(String mid) {
        for (Subscription s : subscriptions) {
            if (s.mid.equals(mid)) {
                return s;
            }
        }
        return null;
    }

    /** The answer kept our RTX payload type (RFC 4588 section 8.6), so resends may use it. */
    private static boolean acceptsRtx(MediaSection m, Track t) {
        if (t.rtxPayloadType < 0 || m.port() == 0) {
            return false;
        }
        String map = m.rtpmaps().get(t.rtxPayloadType);
        return map != null && map.toLowerCase(java.util.Locale.ROOT).startsWith("rtx/")
                && m.formats().contains(t.rtxPayloadType);
    }

    private boolean hasUnofferedChanges() {
        for (Subscription s : subscriptions) {
            if (s.active != s.offeredActive) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- SDP

    private SdpWriter header(List<String> bundleMids, boolean extmapAllowMixed) {
        SdpWriter w = new SdpWriter()
                .line("v=0")
                .line("o=- " + sessionId + " " + (subscribeRevision + 1) + " IN IP4 0.0.0.0")
                .line("s=-")
                .line("t=0 0")
                .flag("ice-lite")
                .attr("msid-semantic", " WMS *");
        if (!bundleMids.isEmpty()) {
            w.attr("group", "BUNDLE " + String.join(" ", bundleMids));
        }
        if (extmapAllowMixed) {
            w.flag("extmap-allow-mixed");
        }
        return w;
    }

    private void writeMediaSection(SdpWriter w, String kind, String mid, Codecs.Choice codec, String direction,
                                   String setup, PeerTransport transport, Track sending,
                                   Map<Integer, String> extensions, boolean offerRtx) {
        String ip = ctx.advertisedHost();
        String ipVer = ip.contains(":") ? "IP6" : "IP4";
        int defaultPort = ctx.udpEnabled() ? ctx.mediaPort() : ctx.tcpPort();
        // Resends to a receiver use RTX where it accepts it (subscribe offers for video only):
        // Chrome then tells retransmissions from originals and counts them apart.
        boolean rtx = sending != null && offerRtx;
        StringBuilder formats = new StringBuilder();
        for (int pt : codec.payloadTypes()) {
            formats.append(' ').append(pt);
        }
        w.line("m=" + kind + " " + defaultPort + " UDP/TLS/RTP/SAVPF" + formats
                        + (rtx ? " " + sending.rtxPayloadType : ""))
                .line("c=IN " + ipVer + " " + ip)
                .attr("ice-ufrag", transport.localCredentials().ufrag())
                .attr("ice-pwd", transport.localCredentials().password())
                .attr("fingerprint", "sha-256 " + ctx.certificate().fingerprintSha256())
                .attr("setup", setup)
                .attr("mid", mid)
                .flag(direction)
                .flag("rtcp-mux");
        if (kind.equals("video")) {
            w.flag("rtcp-rsize");
        }
        for (var e : extensions.entrySet()) {
            w.attr("extmap", e.getKey() + " " + e.getValue());
        }
        w.attr("rtpmap", codec.payloadType() + " " + codec.rtpmap());
        for (String f : codec.fmtp()) {
            w.attr("fmtp", codec.payloadType() + " " + f);
        }
        for (String fb : codec.rtcpFb()) {
            w.attr("rtcp-fb", codec.payloadType() + " " + fb);
        }
        if (codec.redPayloadType() >= 0) {
            w.attr("rtpmap", codec.redPayloadType() + " red/48000/2")
                    .attr("fmtp", codec.redPayloadType() + " " + codec.payloadType() + "/" + codec.payloadType());
        }
        if (rtx) {
            w.attr("rtpmap", sending.rtxPayloadType + " rtx/" + codec.clockRate())
                    .attr("fmtp", sending.rtxPayloadType + " apt=" + codec.payloadType());
        }
        if (sending != null) {
            String msid = sending.owner.id + " " + sending.trackId;
            long ssrc = Integer.toUnsignedLong(sending.ssrc);
            w.attr("msid", msid);
            if (rtx) {
                w.attr("ssrc-group", "FID " + ssrc + " " + Integer.toUnsignedLong(sending.rtxSsrc));
            }
            w.attr("ssrc", ssrc + " cname:" + sending.owner.id)
                    .attr("ssrc", ssrc + " msid:" + msid);
            if (rtx) {
                long rtxSsrc = Integer.toUnsignedLong(sending.rtxSsrc);
                w.attr("ssrc", rtxSsrc + " cname:" + sending.owner.id)
                        .attr("ssrc", rtxSsrc + " msid:" + msid);
            }
        }
        if (ctx.udpEnabled()) {
            w.attr("candidate", "1 1 udp 2130706431 " + ip + " " + ctx.mediaPort() + " typ host");
        }
        if (ctx.tcpPort() != 0) {
            // RFC 6544 section 4.2: passive, the browser connects; a lower local preference than
            // UDP (RFC 6544 section 4.2's formula with type preference 126 for host) so UDP wins where it works.
            w.attr("candidate", "2 1 tcp 1518280447 " + ip + " " + ctx.tcpPort() + " typ host tcptype passive");
        }
        w.flag("end-of-candidates");
    }

    // ---------------------------------------------------------------- media

    @Override
    public void onRtp(PeerTransport transport, PacketBuffer p) {
        if (transport != publish) {
            return; // browsers send no media on the subscribe connection
        }
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        Track t = publishedBySsrc.get(Rtp.ssrc(b, off));
        if (t == null) {
            t = learnSimulcastLayer(b, off, p.getLength());
        }
        if (t == null) {
            ctx.drops().drop(DropReason.UNKNOWN_SSRC, id);
            return;
        }
        t.described = false;
        // Not for simulcast: each layer has its own descriptors, which one reader cannot follow.
        if (t.dependencyDescriptorId > 0 && !t.simulcast() && !readDependencies(t, b, off, p.getLength())) {
            return;
        }
        ctx.metrics().received(t.packetKind, p.getLength());
        int layer = t.layerOf(Rtp.ssrc(b, off));
        if (layer >= 0) {
            t.layerBytes[layer] += p.getLength();
        }
        if (layer <= 0) {
            // Receive statistics follow one sequence space: for simulcast, the lowest layer's.
            t.stats.onPacket(Rtp.sequence(b, off), Rtp.timestamp(b, off), p.getLength(), System.nanoTime());
        }
        manager.forward(t, p);
    }

    /**
     * A packet on an SSRC not seen before: if its rid (and mid) extension names a layer of a
     * simulcast track whose SSRC for that layer is not known yet, that is its SSRC from now on
     * (RFC 8852 section 3.3). RTX (repaired-rid) packets are not learned: the node answers NACKs
     * from its own caches.
     */
    private Track learnSimulcastLayer(byte[] b, int off, int len) {
        if (publishRidId < 0) {
            return null;
        }
        long rid = HeaderExtensions.find(b, off, len, publishRidId);
        if (rid < 0) {
            return null;
        }
        long mid = publishMidId < 0 ? -1 : HeaderExtensions.find(b, off, len, publishMidId);
        for (Track t : published.values()) {
            if (!t.simulcast() || mid >= 0 && !HeaderExtensions.equalsAscii(b, mid, t.publishMid)) {
                continue;
            }
            for (int i = 0; i < t.rids.length; i++) {
                if (HeaderExtensions.equalsAscii(b, rid, t.rids[i])) {
                    int ssrc = Rtp.ssrc(b, off);
                    if (t.layerSsrcs[i] != 0) {
                        publishedBySsrc.remove(t.layerSsrcs[i]); // the browser restarted the layer
                    }
                    t.layerSsrcs[i] = ssrc;
                    publishedBySsrc.put(ssrc, t);
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * The packet's dependency descriptor, if it has one; false when it is malformed (counted, and
     * the packet dropped, as a receiver could not place the frame either). One missing, or one
     * naming a template before the structure arrived, is no reason to drop.
     */
    private boolean readDependencies(Track t, byte[] b, int off, int len) {
        t.described = false;
        long found = HeaderExtensions.find(b, off, len, t.dependencyDescriptorId);
        if (found < 0) {
            return true;
        }
        DependencyDescriptor.Status st = t.dependencies.read(b, HeaderExtensions.position(found),
                HeaderExtensions.length(found));
        if (st.malformed()) {
            ctx.drops().drop(DropReason.DEPENDENCY_DESCRIPTOR_MALFORMED, id);
            return false;
        }
        t.dependencyDescriptors++;
        if (st == DependencyDescriptor.Status.OK) {
            t.described = true;
            t.countTargets(len);
        }
        return true;
    }

    /**
     * Before decryption: the RFC 6464 level of a publisher's audio packet, from its header
     * extension, which SRTP leaves in the clear. Ranking speakers costs no decryption, and the
     * audio of a track no receiver is selected for (top-N) is not decrypted at all: in a large call
     * most open microphones are quiet and reach nobody. One packet in {@link #AUTHENTICATE_EVERY} is
     * still decrypted, so the SRTP rollover counter and replay window keep up with the stream
     * (RFC 3711 index guessing only spans 2^15 packets) and a forged stream is noticed.
     */
    @Override
    public boolean beforeDecrypt(PeerTransport transport, PacketBuffer p) {
        if (transport != publish) {
            return true;
        }
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        if (publishTwccId > 0) {
            // Here, not after decryption: audio nobody receives is never decrypted, and the
            // publisher's estimator expects feedback on every packet it sent (RTX and probing
            // padding included), or it reads the silence as loss and cuts its upload.
            int seq = TransportSequence.read(b, off, p.getLength(), publishTwccId);
            if (seq >= 0) {
                publishArrivals.onPacket(seq, System.nanoTime() / 1000);
            }
        }
        Track t = publishedBySsrc.get(Rtp.ssrc(b, off));
        if (t == null || t.kind != TrackKind.audio) {
            return true;
        }
        long now = System.nanoTime();
        if (t.audioLevelExtensionId >= 0) {
            int element = AudioLevel.find(b, off, p.getLength(), t.audioLevelExtensionId);
            if (element >= 0) {
                t.onAudioLevel(AudioLevel.level(element), now);
            }
        }
        if ((!t.adminMuted && t.hasSelectedReceiver()) || ++t.undecryptedRun >= AUTHENTICATE_EVERY) {
            t.undecryptedRun = 0;
            return true;
        }
        // Counted as received from the clear header, as onRtp would have after decryption.
        int length = p.getLength() - transport.rtpTagLength();
        ctx.metrics().received(t.packetKind, length);
        ctx.metrics().notDecrypted(t.packetKind);
        t.stats.onPacket(Rtp.sequence(b, off), Rtp.timestamp(b, off), length, now);
        t.packetsNotDecrypted++;
        return false;
    }

    @Override
    public void onRtcp(PeerTransport transport, PacketBuffer p) {
        manager.onRtcp(this, transport == publish, p);
    }

    @Override
    public void onConnected(PeerTransport transport) {
        if (transport == subscribe) {
            for (Subscription s : subscriptions) {
                if (s.active && s.negotiated && s.track.kind == TrackKind.video) {
                    manager.requestKeyframe(s.track);
                }
            }
        }
    }

    @Override
    public void onFailed(PeerTransport transport, String reason) {
        LOG.log(System.Logger.Level.INFO, "{0}/{1}: transport {2} failed: {3}", call.id, id, transport.id(), reason);
    }

    Track publishedTrackBySsrc(int ssrc) {
        return publishedBySsrc.get(ssrc);
    }

    /** The track this participant receives with SSRC {@code ssrc}, or null. */
    Track receivedTrackBySsrc(int ssrc) {
        for (Subscription s : subscriptions) {
            if (s.active && s.track.ssrc == ssrc) {
                return s.track;
            }
        }
        return null;
    }

    Subscription subscriptionBySsrc(int ssrc) {
        for (Subscription s : subscriptions) {
            if (s.active && s.track.ssrc == ssrc) {
                return s;
            }
        }
        return null;
    }

    /**
     * RFC 7675: a media connection that got through ICE and then heard nothing from the client
     * (browsers send a consent check every few seconds, besides media and RTCP) for
     * {@code timeoutNanos} means the client is gone or cut off.
     */
    boolean consentExpired(long nowNanos, long timeoutNanos) {
        return silent(publish, nowNanos, timeoutNanos) || silent(subscribe, nowNanos, timeoutNanos);
    }

    private static boolean silent(PeerTransport t, long nowNanos, long timeoutNanos) {
        return t != null && t.remoteAddress() != null
                && (t.state() == PeerTransport.State.CHECKING || t.state() == PeerTransport.State.CONNECTED)
                && nowNanos - t.lastReceiveNanos() > timeoutNanos;
    }

    void markLeft() {
        left = true;
        if (publish != null) {
            publish.close();
        }
        if (subscribe != null) {
            subscribe.close();
        }
    }

    /** The revision of the subscribe offer awaiting an answer, -1 for none (for tests that answer offers). */
    int outstandingRevisionForTests() {
        return outstandingRevision;
    }

    boolean hasLeft() {
        return left;
    }
}
