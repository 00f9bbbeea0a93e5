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
     * As {@link #drop(Track, Participant)}, knowing the packet's length (for a byte budget, as a
     * capped link has). The node calls this one; by default it ignores the length.
     */
    default boolean drop(Track track, Participant receiver, int length) {
        return drop(track, receiver);
    }
}
