package io.sfufleet.sfu.transport;

import io.sfufleet.sfu.rtp.PacketBuffer;

/** What a {@link PeerTransport} reports to the call logic. All calls come on the media loop. */
public interface TransportListener {
    /**
     * An SRTP packet (not RTCP) before decryption: only the header and its extensions may be read,
     * the payload is still encrypted, and nothing is authenticated yet. Lent for the call.
     *
     * @return whether to decrypt it and pass it to {@link #onRtp}; false leaves it undecrypted and
     *         drops it (nobody would receive it), the listener having counted it
     */
    default boolean beforeDecrypt(PeerTransport transport, PacketBuffer packet) {
        return true;
    }

    /** A decrypted RTP packet. The buffer is only lent for the duration of the call. */
    void onRtp(PeerTransport transport, PacketBuffer packet);

    /** A decrypted, validated RTCP compound packet. The buffer is only lent for the call. */
    void onRtcp(PeerTransport transport, PacketBuffer packet);

    /** DTLS finished: SRTP can flow both ways. */
    void onConnected(PeerTransport transport);

    /** DTLS failed or the peer closed it. */
    void onFailed(PeerTransport transport, String reason);
}
