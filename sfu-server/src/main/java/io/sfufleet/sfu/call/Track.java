package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackInfo;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.rtp.RetransmissionCache;
import io.sfufleet.sfu.sdp.Codecs;
import io.sfufleet.sfu.transport.PacketKind;
import java.util.Arrays;

/** A track a participant publishes: its SSRC, codec, receive statistics and its receivers. */
public final class Track {
    private static final Subscription[] NONE = new Subscription[0];

    final String trackId;
    final Participant owner;
    final String publishMid;
    final TrackKind kind;
    /** {@link #kind} as the metrics label it counts under. */
    final PacketKind packetKind;
    final MediaSource source;
    final int ssrc;
    final Codecs.Choice codec;
    final ReceiveStats stats;
    final KeyframeThrottle keyframes;
    boolean muted;
    /** Muted by an admin through the API: the node stops forwarding it, whatever the client does. */
    boolean adminMuted;
    boolean ended;
    long keyframeRequests;
    /** NACKs and PLI/FIRs the receivers sent about this track. */
    long nackCount;
    long pliCount;
    long bitrateBps;
    private long bytesAtLastTick;
    /** Loss over the last tick, percent of the packets expected in it. */
    private double lossPercentLastTick;
    private long lostAtLastTick;
    private long packetsAtLastTick;
    /** Copy-on-write so the forwarding loop reads it without locks or iterators. */
    Subscription[] receivers = NONE;
    /** Audio packets dropped undecrypted because no receiver was selected for them (top-N). */
    long packetsNotDecrypted;
    /** Packets left undecrypted since the last one that was decrypted (and so authenticated). */
    int undecryptedRun;
    /**
     * Video only: the last packets, so receivers' NACKs are answered by the node (null for audio,
     * which browsers do not NACK). 512 slots is about a second of a 2.5 Mbit/s stream.
     */
    final RetransmissionCache sent;
    /** The SSRC and payload type this track's retransmissions use toward receivers that negotiated RTX. */
    final int rtxSsrc;
    final int rtxPayloadType;
    /** Packets resent from {@link #sent}, to all receivers. */
    long retransmissions;
    /** The a=extmap id of the RFC 6464 audio level in the publisher's offer; -1 when not negotiated. */
    int audioLevelExtensionId = -1;
    /**
     * Simulcast (RFC 8853): the rids the publisher sends, lowest quality first, or null for a
     * single stream. {@link #ssrc} is then the node's own outgoing SSRC toward receivers, and each
     * layer has its own SSRC (learned from the rid header extension), cache, rate and height.
     */
    String[] rids;
    int[] layerSsrcs;
    RetransmissionCache[] layerCaches;
    long[] layerBytes;
    long[] layerBitrates;
    int[] layerHeights;
    private long[] layerBytesAtLastTick;

    /** Turns this video track into a simulcast one with {@code rids}, lowest first. */
    void enableSimulcast(java.util.List<String> lowestFirst) {
        int n = lowestFirst.size();
        rids = lowestFirst.toArray(String[]::new);
        layerSsrcs = new int[n];
        layerCaches = new RetransmissionCache[n];
        for (int i = 0; i < n; i++) {
            layerCaches[i] = new RetransmissionCache(512, RETRANSMIT_MAX_AGE_NANOS);
        }
        layerBytes = new long[n];
        layerBitrates = new long[n];
        layerHeights = new int[n];
        layerBytesAtLastTick = new long[n];
    }

    public boolean simulcast() {
        return rids != null;
    }

    /**
     * Whether receivers get this track's layers chosen per receiver: VP9 or AV1 with the
     * dependency descriptor negotiated (the node reads layers from it, never from the payload).
     */
    public boolean layered() {
        return dependencyDescriptorId > 0 && kind == TrackKind.video && !simulcast() && (codec.rtpmap().regionMatches(true, 0, "VP9/", 0, 4)
                || codec.rtpmap().regionMatches(true, 0, "AV1/", 0, 4));
    }

    /** Counts a described packet of {@code length} bytes toward the decode targets its frame is in. */
    void countTargets(int length) {
        var s = dependencies.structure();
        if (s != ratedStructure) {
            // targets are numbered anew with each structure
            ratedStructure = s;
            Arrays.fill(targetBytes, 0);
            Arrays.fill(targetBytesAtLastTick, 0);
            Arrays.fill(targetBitrates, 0);
        }
        for (int d = 0; d < s.decodeTargets(); d++) {
            if (dependencies.dti(d) != io.sfufleet.sfu.svc.SvcForwarder.NOT_PRESENT) {
                targetBytes[d] += length;
            }
        }
    }

    /** The current dependency structure, null before the first. */
    io.sfufleet.sfu.rtp.DependencyDescriptor.Structure layerStructure() {
        return dependencies == null ? null : dependencies.structure();
    }

    /** The SSRC the node's receiver reports to the publisher are about: for simulcast, the lowest layer's. */
    int reportSsrc() {
        return rids == null ? ssrc : layerSsrcs[0];
    }

    /** The layer whose SSRC is {@code ssrc}, -1 if none (or not simulcast). */
    int layerOf(int ssrc) {
        if (layerSsrcs == null) {
            return -1;
        }
        for (int i = 0; i < layerSsrcs.length; i++) {
            if (layerSsrcs[i] == ssrc && ssrc != 0) {
                return i;
            }
        }
        return -1;
    }

    /** The a=extmap id of the dependency descriptor in the publisher's offer (video); -1 when not negotiated. */
    int dependencyDescriptorId = -1;
    /**
     * Video only: the stream's dependency descriptors, read from the RTP header (never the payload,
     * which end-to-end encryption makes unreadable): the layer of each packet, for SVC layer choice.
     */
    final io.sfufleet.sfu.rtp.DependencyDescriptor dependencies;
    long dependencyDescriptors;
    /** The packet being handled carried a descriptor that was read in full (media loop). */
    boolean described;
    /**
     * Layered (SVC) video: bytes and bitrate of each decode target of the current structure (a
     * frame counts toward every target it is present in), for choosing a receiver's layers.
     */
    final long[] targetBytes;
    final long[] targetBitrates;
    private final long[] targetBytesAtLastTick;
    private io.sfufleet.sfu.rtp.DependencyDescriptor.Structure ratedStructure;
    /** Smoothed loudness, 127 - level (0 silence, 127 full scale), and when the last level came. */
    private double loudness;
    private long lastLevelNanos;

    Track(String trackId, Participant owner, String publishMid, TrackKind kind, MediaSource source, int ssrc,
          Codecs.Choice codec, boolean muted, long keyframeIntervalNanos) {
        this.trackId = trackId;
        this.owner = owner;
        this.publishMid = publishMid;
        this.kind = kind;
        this.packetKind = kind == TrackKind.audio ? PacketKind.AUDIO : PacketKind.VIDEO;
        this.source = source;
        this.ssrc = ssrc;
        this.codec = codec;
        this.muted = muted;
        this.stats = new ReceiveStats(codec.clockRate());
        this.keyframes = new KeyframeThrottle(keyframeIntervalNanos);
        boolean video = kind == TrackKind.video;
        this.sent = video ? new RetransmissionCache(512, RETRANSMIT_MAX_AGE_NANOS) : null;
        this.dependencies = video ? new io.sfufleet.sfu.rtp.DependencyDescriptor() : null;
        int targets = video ? io.sfufleet.sfu.rtp.DependencyDescriptor.MAX_DECODE_TARGETS : 0;
        this.targetBytes = new long[targets];
        this.targetBitrates = new long[targets];
        this.targetBytesAtLastTick = new long[targets];
        this.rtxSsrc = video ? java.util.concurrent.ThreadLocalRandom.current().nextInt() | 1 : 0;
        this.rtxPayloadType = video ? freeDynamicPayloadType(codec.payloadType()) : -1;
    }

    /** Older than this, a resend arrives after the receiver's jitter buffer gave the packet up. */
    static final long RETRANSMIT_MAX_AGE_NANOS = 1_000_000_000L;

    /** The first dynamic payload type (RFC 3551: 96..127) other than {@code used}. */
    private static int freeDynamicPayloadType(int used) {
        return used == 96 ? 97 : 96;
    }

    /** When this track was last loud enough to count as speech ({@link SpeakerSelection}); 0 if never. */
    long lastSpokeNanos;

    /** Whether forwarding would send this track's packets to anyone now (see {@link CallManager#forward}). */
    boolean hasSelectedReceiver() {
        for (Subscription s : receivers) {
            if (s.selected && s.active && s.negotiated) {
                return true;
            }
        }
        return false;
    }

    /** Audio packets dropped before decryption because nobody was selected to receive them. */
    public long packetsNotDecrypted() {
        return packetsNotDecrypted;
    }

    /**
     * An RFC 6464 level (0 loudest .. 127 silence) from one packet. Peak with decay: a syllable
     * counts at once, and the loudness then falls by half in about 14 packets (280 ms of Opus),
     * so the pauses between words do not make a speaker silent.
     */
    void onAudioLevel(int level, long nowNanos) {
        loudness = Math.max(127 - level, loudness * 0.95);
        lastLevelNanos = nowNanos;
    }

    /** Smoothed loudness, 0 when no level came for {@code staleNanos} (muted or stopped). */
    double loudness(long nowNanos, long staleNanos) {
        return lastLevelNanos == 0 || nowNanos - lastLevelNanos > staleNanos ? 0 : loudness;
    }

    /** Packets the node resent from its cache in answer to receivers' NACKs. */
    public long retransmissions() {
        return retransmissions;
    }

    /** Once a second on the media loop: bytes since the last tick, as bits per second. */
    void updateRate(double seconds) {
        long bytes = stats.bytes();
        bitrateBps = seconds <= 0 ? 0 : (long) ((bytes - bytesAtLastTick) * 8 / seconds);
        bytesAtLastTick = bytes;
        long lost = stats.cumulativeLost();
        long packets = stats.packets();
        // late packets lower the cumulative loss again: count no negative loss in a tick
        long lostInTick = Math.max(0, lost - lostAtLastTick);
        long expectedInTick = lostInTick + (packets - packetsAtLastTick);
        lossPercentLastTick = expectedInTick <= 0 ? 0 : Math.min(100.0, 100.0 * lostInTick / expectedInTick);
        lostAtLastTick = lost;
        packetsAtLastTick = packets;
        for (int d = 0; d < targetBytes.length; d++) {
            targetBitrates[d] = seconds <= 0 ? 0 : (long) ((targetBytes[d] - targetBytesAtLastTick[d]) * 8 / seconds);
            targetBytesAtLastTick[d] = targetBytes[d];
        }
        if (rids != null) {
            for (int i = 0; i < rids.length; i++) {
                layerBitrates[i] = seconds <= 0 ? 0 : (long) ((layerBytes[i] - layerBytesAtLastTick[i]) * 8 / seconds);
                layerBytesAtLastTick[i] = layerBytes[i];
            }
        }
    }

    TrackInfo info() {
        return new TrackInfo(trackId, owner.id, kind, source, muted);
    }

    void addReceiver(Subscription s) {
        Subscription[] next = Arrays.copyOf(receivers, receivers.length + 1);
        next[receivers.length] = s;
        receivers = next;
    }

    void removeReceiver(Subscription s) {
        int i = Arrays.asList(receivers).indexOf(s);
        if (i < 0) {
            return;
        }
        Subscription[] next = new Subscription[receivers.length - 1];
        System.arraycopy(receivers, 0, next, 0, i);
        System.arraycopy(receivers, i + 1, next, i, receivers.length - i - 1);
        receivers = next;
    }

    public String trackId() {
        return trackId;
    }

    public TrackKind kind() {
        return kind;
    }

    public MediaSource source() {
        return source;
    }

    public int ssrc() {
        return ssrc;
    }

    public boolean muted() {
        return muted;
    }

    public long packets() {
        return stats.packets();
    }

    public long bytes() {
        return stats.bytes();
    }

    public long keyframeRequests() {
        return keyframeRequests;
    }

    public boolean adminMuted() {
        return adminMuted;
    }

    public long nackCount() {
        return nackCount;
    }

    public long pliCount() {
        return pliCount;
    }

    public long bitrateBps() {
        return bitrateBps;
    }

    public String codecName() {
        return codec.rtpmap();
    }

    public String publishMid() {
        return publishMid;
    }

    public Participant owner() {
        return owner;
    }

    public long packetsLost() {
        return stats.cumulativeLost();
    }

    /** Loss the node saw on the way from the publisher, in percent of expected packets. */
    public double lossPercent() {
        long lost = stats.cumulativeLost();
        long total = lost + stats.packets();
        return total == 0 ? 0 : 100.0 * lost / total;
    }

    /** Loss the node saw over the last once-a-second tick, 0 to 100. */
    public double lossPercentLastTick() {
        return lossPercentLastTick;
    }

    public double jitterMillis() {
        return stats.jitterMillis();
    }

    public int receiverCount() {
        return receivers.length;
    }

    /**
     * The spatial layer of the last packet's frame from its dependency descriptor; -1 when the
     * publisher sends none (not negotiated, or no structure yet).
     */
    public int spatialId() {
        return dependencies == null ? -1 : dependencies.spatialId();
    }

    /** The temporal layer likewise; -1 when unknown. */
    public int temporalId() {
        return dependencies == null ? -1 : dependencies.temporalId();
    }

    /** Packets whose dependency descriptor the node read. */
    public long dependencyDescriptors() {
        return dependencyDescriptors;
    }
}
