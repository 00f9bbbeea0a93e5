package io.sfufleet.sfu.dtls;

/**
 * Where a {@link DtlsServerSession} puts its outgoing DTLS datagrams (towards the peer's
 * selected ICE candidate pair). Called from the session's own thread, never from the media
 * loop, so an implementation must be safe to call from any thread. {@code data} is only valid
 * during the call: copy it if the send completes later. A datagram that cannot be sent may be
 * dropped (DTLS retransmits), but the call must not block for long.
 */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] data, int off, int len);
}
