package io.sfufleet.sfu.transport;

import java.net.InetSocketAddress;

/** Maps ICE ufrags and client addresses to transports, so one UDP port serves every client. */
public interface TransportRegistry {
    void register(PeerTransport transport);

    /**
     * The transport's UDP address changed from {@code old} to {@code now}; either may be null
     * (none yet, or the transport moved to or from an ICE-TCP connection).
     */
    void bindAddress(PeerTransport transport, InetSocketAddress old, InetSocketAddress now);

    void unregister(PeerTransport transport, InetSocketAddress address);

    /**
     * The transport's local ICE credentials changed (an ICE restart): checks must now be answered
     * with the new ufrag's password and refused with {@code oldUfrag}. Registries that answer no
     * checks (test fixtures) need do nothing.
     */
    default void credentialsChanged(PeerTransport transport, String oldUfrag) {
    }
}
