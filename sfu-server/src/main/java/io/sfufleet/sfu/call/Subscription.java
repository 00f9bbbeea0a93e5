package io.sfufleet.sfu.call;

/** One receiver's m-section for one track on its subscribe connection. */
public final class Subscription {
    final Track track;
    final Participant receiver;
    /** The a=mid of this m-section in the receiver's subscribe SDP. */
    final String mid;
    /** False once the track ended: the m-section stays, inactive (m-sections are not reused). */
    boolean active = true;
    /** The receiver's answer covering this m-section arrived; forwarding before it would be dropped. */
    boolean negotiated;
    /** Whether the last offer sent had this m-section sendonly (true) or inactive. */
    boolean offeredActive;
    /**
     * Among the receiver's loudest audio or last-N video ({@link SpeakerSelection}): only selected
     * subscriptions get packets. True until the first selection round, and in calls within the limits.
     */
    boolean selected = true;
    long packetsSent;
    long bytesSent;
    // the receiver's view, from its receiver reports
    int fractionLost;
    long cumulativeLost;
    long jitter;
    long nackCount;
    long pliCount;
    long bitrateBps;
    /** Round trip to the receiver from forwarded sender reports and its receiver reports; NaN until known. */
    double rttMillis = Double.NaN;
    long lastSrNtpMiddle;
    long lastSrSentNanos;
    /** Offered sendonly at least once; {@link #rtxOffered} is fixed from then on. */
    boolean everOffered;
    /** Its m-section carries RTX (decided at its first offer: browsers take no RTX added later). */
    boolean rtxOffered;
    /** The RTX payload type the receiver accepted in its answer, -1 if it did not (resends go as the original). */
    int rtxPayloadType = -1;
    /** The next sequence number of this receiver's RTX stream (RFC 4588: its own numbering, random start). */
    int rtxSequence = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000);
    /** The id under which the receiver takes the dependency descriptor of a layered track, -1 if it does not. */
    int dependencyDescriptorId = -1;
    /** Packets resent to this receiver from the node's cache. */
    long retransmissions;
    private long bytesAtLastTick;
    /** For a simulcast track: which layer this receiver gets, on the track's outgoing SSRC; else null. */
    final io.sfufleet.sfu.simulcast.LayerForwarder layers;
    /** For a layered (SVC) track: which of its layers this receiver gets; else null. */
    final io.sfufleet.sfu.svc.SvcForwarder svc;
    /** Layer switches already counted in the metrics. */
    long switchesCounted;
    /** The tile height (device pixels) the receiver shows this track in; 0 while it did not say. */
    int viewportHeight;

    Subscription(Track track, Participant receiver, String mid) {
        this.track = track;
        this.receiver = receiver;
        this.mid = mid;
        this.layers = track.simulcast()
                ? new io.sfufleet.sfu.simulcast.LayerForwarder(track.ssrc, track.codec.clockRate()) : null;
        this.svc = track.layered() ? new io.sfufleet.sfu.svc.SvcForwarder() : null;
    }

    /**
     * The layer forwarded to this receiver: a simulcast track's rid, or a layered (SVC) track's
     * spatial and temporal layer as "S1T2"; "none" before its first keyframe; null for a single stream.
     */
    public String layer() {
        if (layers != null) {
            return layers.current() < 0 ? "none" : track.rids[layers.current()];
        }
        if (svc != null) {
            return svc.currentSpatial() < 0 ? "none" : "S" + svc.currentSpatial() + "T" + svc.currentTemporal();
        }
        return null;
    }

    void updateRate(double seconds) {
        bitrateBps = seconds <= 0 ? 0 : (long) ((bytesSent - bytesAtLastTick) * 8 / seconds);
        bytesAtLastTick = bytesSent;
    }

    public Track track() {
        return track;
    }

    public boolean active() {
        return active;
    }

    /** Whether the node currently forwards this track to this receiver (top-N audio, last-N video). */
    public boolean selected() {
        return selected;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bitrateBps() {
        return bitrateBps;
    }

    /** The receiver's reported loss (RTCP fraction lost), in percent. */
    public double lossPercent() {
        return fractionLost * 100.0 / 256.0;
    }

    public double jitterMillis() {
        return jitter * 1000.0 / track.codec.clockRate();
    }

    public double rttMillis() {
        return rttMillis;
    }

    public long nackCount() {
        return nackCount;
    }

    public long retransmissions() {
        return retransmissions;
    }

    /** Whether the receiver takes resends in RFC 4588 form. */
    public boolean rtxNegotiated() {
        return rtxPayloadType >= 0;
    }

    public long pliCount() {
        return pliCount;
    }
}
