package io.sfufleet.sfu.transport;

import io.sfufleet.sfu.rtp.PacketBuffer;
import java.net.InetSocketAddress;

/**
 * Where the media loop puts datagrams to send. The bytes are copied before {@code send} returns,
 * so the caller keeps ownership of the buffer. Sends may be batched until {@link #flush()}.
 */
public interface PacketSink {
    void send(PacketBuffer packet, InetSocketAddress to);

    /** Thread-safe variant for the DTLS handshake threads: copies and flushes at once. */
    void sendNow(byte[] data, int off, int len, InetSocketAddress to);

    void flush();
}
