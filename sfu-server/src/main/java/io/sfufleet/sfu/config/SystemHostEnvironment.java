package io.sfufleet.sfu.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/** {@link HostEnvironment} of the machine this JVM runs on. */
final class SystemHostEnvironment implements HostEnvironment {
    static final SystemHostEnvironment INSTANCE = new SystemHostEnvironment();

    private SystemHostEnvironment() {
    }

    @Override
    public String hostName() {
        // InetAddress.getLocalHost() resolves the name it finds, which stalls for the resolver
        // timeout on an air-gapped host whose name is not in /etc/hosts. Linux exposes the name
        // without any lookup; the other sources are for developer machines.
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through to the portable sources
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String name = System.getenv(variable);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException unknown) {
            return "";
        }
    }

    @Override
    public Optional<String> firstUpIpv4Address() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(SystemHostEnvironment::upAndNotLoopback)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses)
                    // Link-local 169.254/16 is only reachable on the same segment: advertising it
                    // is as useless as advertising loopback.
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .map(InetAddress::getHostAddress)
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean upAndNotLoopback(NetworkInterface nif) {
        try {
            return nif.isUp() && !nif.isLoopback();
        } catch (SocketException gone) {
            return false;
        }
    }
}
