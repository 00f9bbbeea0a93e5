package io.sfufleet.sfu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on loopback right now, so parallel test nodes do not collide. */
public final class FreePorts {
    private FreePorts() {
    }

    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port number free on loopback for both UDP and TCP right now, for a node whose media UDP and
     * ICE-TCP ports share their number as in production.
     */
    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = udp();
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no port number free for both UDP and TCP in 50 attempts");
    }

    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
