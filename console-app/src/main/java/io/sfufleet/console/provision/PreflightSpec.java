package io.sfufleet.console.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What a host must offer for a node: its ports, the address the node binds on the host, the address
 * the console reaches its media port at, and the disk space an install takes.
 *
 * @param bindAddress  the node's bind address on the host ({@code 0.0.0.0} for all)
 * @param reachAddress where the console (and the clients) send media: usually the host's address
 */
public record PreflightSpec(int mediaPort, int apiPort, String bindAddress, String reachAddress,
        long requiredDiskBytes) {
    /** The buffer size the seeds tune {@code net.core.rmem_max} and {@code wmem_max} to: 16 MiB. */
    public static final long SOCKET_BUFFER_BYTES = 16_777_216L;
    /** An unpacked release with its runtime is about 100 MB; two releases and the upload, with room. */
    public static final long DEFAULT_DISK_BYTES = 512L * 1024 * 1024;

    public PreflightSpec {
        for (int p : new int[] {mediaPort, apiPort}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("ports must be 1 to 65535, not " + p);
            }
        }
        if (mediaPort == apiPort) {
            throw new IllegalArgumentException("the media port and the API port must differ (both " + mediaPort + ")");
        }
        if (!bindAddress.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("bind address must be an IP address, not " + bindAddress);
        }
        if (requiredDiskBytes < 0) {
            throw new IllegalArgumentException("required disk space must not be negative");
        }
    }

    public static PreflightSpec forHost(HostEntry host, int mediaPort, int apiPort) {
        return new PreflightSpec(mediaPort, apiPort, "0.0.0.0", host.address(), DEFAULT_DISK_BYTES);
    }

    InetAddress bind() {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind address " + bindAddress + " is not an IP address", e);
        }
    }
}
