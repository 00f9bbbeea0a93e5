package io.sfufleet.sfu.call;

/** One receiver's m-section for one track on its subscribe connection. */
final class Subscription {
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
    long packetsSent;
    long bytesSent;
    // the receiver's view, from its receiver reports
    int fractionLost;
    long cumulativeLost;
    long jitter;

    Subscription(Track track, Participant receiver, String mid) {
        this.track = track;
        this.receiver = receiver;
        this.mid = mid;
    }
}
