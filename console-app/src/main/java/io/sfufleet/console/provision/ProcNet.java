package io.sfufleet.console.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Sockets from the kernel's {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6} tables:
 * read on the host by {@code cat}, since a bare host may lack {@code ss} and {@code netstat}. Sans-IO.
 */
public final class ProcNet {
    private static final String TCP_LISTEN = "0A";

    private ProcNet() {
    }

    /** A bound socket: local address and port; for TCP only listening ones are kept. */
    public record Bound(InetAddress address, int port) {
        /** Whether binding {@code wanted}:{@code port} would collide with this socket. */
        public boolean collidesWith(InetAddress wanted, int wantedPort) {
            return port == wantedPort && (address.isAnyLocalAddress() || wanted.isAnyLocalAddress()
                    || address.equals(wanted));
        }
    }

    /**
     * Parses table text (header lines and blank lines are skipped).
     *
     * @param tcp true for the TCP tables: only sockets in the LISTEN state count
     */
    public static List<Bound> parse(String table, boolean tcp) {
        List<Bound> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":") || f[1].indexOf(':') < 0) {
                continue;  // header ("sl local_address ...") or noise
            }
            if (tcp && !f[3].equals(TCP_LISTEN)) {
                continue;
            }
            String[] addrPort = f[1].split(":");
            out.add(new Bound(address(addrPort[0]), Integer.parseInt(addrPort[1], 16)));
        }
        return out;
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) order. */
    static InetAddress address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        if (raw.length != 4 && raw.length != 16) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address in /proc/net: " + hex);
        }
        byte[] b = new byte[raw.length];
        for (int w = 0; w < raw.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                b[w + i] = raw[w + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
