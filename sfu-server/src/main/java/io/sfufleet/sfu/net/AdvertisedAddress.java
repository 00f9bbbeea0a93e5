package io.sfufleet.sfu.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/**
 * The address the node puts in its ICE candidates. An override (media.ice_host_override) wins:
 * behind NAT or on an air-gapped site the admin knows it, and no STUN server is asked. Without
 * one: the bind address if it is specific, else the first non-loopback IPv4 address that is up.
 */
public final class AdvertisedAddress {
    private AdvertisedAddress() {
    }

    public static String resolve(String override, String bindAddress) throws UnknownHostException {
        if (override != null && !override.isBlank()) {
            // A host name is resolved once, at start, through the host's own resolver (hosts file on
            // air-gapped sites); browsers need an address in the candidate.
            return InetAddress.getByName(override.trim()).getHostAddress();
        }
        InetAddress bind = InetAddress.getByName(bindAddress);
        if (!bind.isAnyLocalAddress()) {
            return bind.getHostAddress();
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no interface list: fall through to loopback, which at least works for local calls
        }
        return "127.0.0.1";
    }
}
