package io.sfufleet.installers.provision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Port numbers for a fleet's test hosts, each probed free on the address it will be bound on and for
 * every protocol bound there, and never handed out twice by one fleet.
 *
 * <p>A host's sshd and node bind its own address (127.0.10.2, say), where a probe on 127.0.0.1 sees
 * nothing: such a probe can hand the node a port the host's sshd already holds. A node binds its media
 * port for UDP and for ICE-TCP, so that number must be free for both. And a probe's socket is closed
 * before the port is used, so without a record of what was handed out the kernel may give the same
 * number again for the next port of the same node.
 */
final class HostPorts {
    private static final int ATTEMPTS = 50;

    private final Set<Integer> handedOut = new HashSet<>();

    /** A port free for TCP on {@code address} now, not handed out before. */
    synchronized int tcp(String address) {
        InetAddress a = parse(address);
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = freeTcp(a, 0);
            if (port > 0 && handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no new TCP port free on " + address + " in " + ATTEMPTS + " attempts");
    }

    /** A port free for both UDP and TCP on {@code address} now (a node's media port), not handed out before. */
    synchronized int udpAndTcp(String address) {
        InetAddress a = parse(address);
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = freeUdp(a);
            if (port > 0 && !handedOut.contains(port) && freeTcp(a, port) == port) {
                handedOut.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no new port free for UDP and TCP on " + address + " in " + ATTEMPTS
                + " attempts");
    }

    /** {@code port} (0: one the kernel picks) if a TCP listener can bind it on {@code a} now, else -1. */
    private static int freeTcp(InetAddress a, int port) {
        try (ServerSocket s = new ServerSocket()) {
            // stricter than the node's listener (which reuses): a port with connections still in
            // TIME_WAIT on this address is passed over
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(a, port), 1);
            return s.getLocalPort();
        } catch (IOException taken) {
            return -1;
        }
    }

    private static int freeUdp(InetAddress a) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    private static InetAddress parse(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
