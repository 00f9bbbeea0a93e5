package io.sfufleet.installers.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a test sshd that can cut every connection through it at once, the way a
 * network failure or a dead console machine does: both sockets are closed, so the console's SSH
 * client and the host's sshd each see the connection end in the middle of whatever they were doing.
 * New connections are accepted again afterwards.
 */
final class CutProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private CutProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    static CutProxy start(String address, InetSocketAddress target) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        CutProxy p = new CutProxy(s, target);
        Thread.ofVirtual().name("cut-proxy-" + s.getLocalPort()).start(p::accept);
        return p;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Drops every connection open now; returns how many there were. */
    int cut() {
        int n = 0;
        for (Socket s : open) {
            closeQuietly(s);
            open.remove(s);
            n++;
        }
        return n / 2;
    }

    private void accept() {
        // ends when the server socket is closed
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 10_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[32 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // cut, or the other side closed: either way this relay is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a socket that is already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        cut();
    }
}
