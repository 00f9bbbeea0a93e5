package io.sfufleet.sfu.transport;

import java.net.InetSocketAddress;

/** Maps ICE ufrags and client addresses to transports, so one UDP port serves every client. */
public interface TransportRegistry {
    void register(PeerTransport transport);

    void bindAddress(PeerTransport transport, InetSocketAddress old, InetSocketAddress now);

    void unregister(PeerTransport transport, InetSocketAddress address);
}
