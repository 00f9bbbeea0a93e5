package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackInfo;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.sdp.Codecs;
import java.util.Arrays;

/** A track a participant publishes: its SSRC, codec, receive statistics and its receivers. */
public final class Track {
    private static final Subscription[] NONE = new Subscription[0];

    final String trackId;
    final Participant owner;
    final String publishMid;
    final TrackKind kind;
    final MediaSource source;
    final int ssrc;
    final Codecs.Choice codec;
    final ReceiveStats stats;
    final KeyframeThrottle keyframes;
    boolean muted;
    boolean ended;
    long keyframeRequests;
    /** Copy-on-write so the forwarding loop reads it without locks or iterators. */
    Subscription[] receivers = NONE;

    Track(String trackId, Participant owner, String publishMid, TrackKind kind, MediaSource source, int ssrc,
          Codecs.Choice codec, boolean muted, long keyframeIntervalNanos) {
        this.trackId = trackId;
        this.owner = owner;
        this.publishMid = publishMid;
        this.kind = kind;
        this.source = source;
        this.ssrc = ssrc;
        this.codec = codec;
        this.muted = muted;
        this.stats = new ReceiveStats(codec.clockRate());
        this.keyframes = new KeyframeThrottle(keyframeIntervalNanos);
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

    public int receiverCount() {
        return receivers.length;
    }
}
