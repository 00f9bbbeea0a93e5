package io.sfufleet.sfu.transport;

/**
 * What the media path reports to metrics. The node injects an implementation; tests and
 * benchmarks that measure no metrics pass {@link #NONE}. Called per packet on the media loop
 * (except where noted), so an implementation may only increment counters it already holds: no
 * allocation, no lock, no I/O.
 */
public interface MediaMetrics {
    /** Counts nothing. */
    MediaMetrics NONE = new MediaMetrics() {
    };

    /**
     * A packet came in and was classified as {@code kind}. Audio and video are counted once the
     * SSRC named the track, with the RTP packet's size after SRTP decryption; the other kinds with
     * the datagram's size.
     */
    default void received(PacketKind kind, int bytes) {
    }

    /**
     * A packet of {@code kind} was queued for sending (datagram size). Also called on DTLS
     * handshake threads, so implementations must be thread-safe.
     */
    default void sent(PacketKind kind, int bytes) {
    }

    /**
     * An RTP packet was queued for one receiver: counts it as sent ({@code bytes} before SRTP
     * protection, as for {@link #received}) and observes the time since its datagram arrived.
     *
     * @param receivedAtNanos {@link System#nanoTime()} when the datagram was read from the socket,
     *                        or 0 if unknown (packets injected by tests and benchmarks)
     */
    default void forwarded(PacketKind kind, int bytes, long receivedAtNanos) {
    }

    /**
     * A packet of {@code kind} was matched to a track nobody is selected to receive (top-N audio)
     * and dropped before decryption; also counted by {@link #received}.
     */
    default void notDecrypted(PacketKind kind) {
    }

    /**
     * Receivers moved to another layer of a track {@code count} times: {@code layered} for VP9/AV1
     * SVC (decode targets), else simulcast.
     */
    default void layerSwitches(boolean layered, long count) {
    }

    /** A transport entered {@code state}; {@link PeerTransport.State#NEW} when it is created. */
    default void transportState(PeerTransport.State state) {
    }
}
