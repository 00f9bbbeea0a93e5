package io.sfufleet.sfu.call;

/**
 * A seam in the node's send path for tests of loss recovery: asked once per forwarded media
 * packet and receiver, before encryption; true drops the packet as a lossy link would. Resends
 * from the retransmission cache are not asked, as a real link would not lose every one of them.
 * The node runs with {@link #NONE}.
 */
@FunctionalInterface
public interface ForwardLoss {
    ForwardLoss NONE = (track, receiver) -> false;

    /** Media loop only; must not allocate or block. */
    boolean drop(Track track, Participant receiver);

    /**
     * As {@link #drop(Track, Participant)}, also shown the packet (SRTP-decrypted RTP, lent for the
     * call): tests that check what the node forwards, e.g. that end-to-end encrypted media stays
     * unreadable, look at it here. Must not keep or change it.
     */
    default boolean drop(Track track, Participant receiver, io.sfufleet.sfu.rtp.PacketBuffer packet) {
        return drop(track, receiver);
    }
}
