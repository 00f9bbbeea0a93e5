package io.sfufleet.sfu.config;

import java.util.Optional;

/**
 * What the loader asks the host for when a value is left automatic. An interface so tests and
 * demos get a fixed answer instead of whatever the build machine's network looks like.
 */
public interface HostEnvironment {

    /** The host name, or an empty string if it cannot be found out. Must not query DNS. */
    String hostName();

    /** The first non-loopback IPv4 address of an interface that is up, in interface order. */
    Optional<String> firstUpIpv4Address();

    /** The machine this JVM runs on. */
    static HostEnvironment system() {
        return SystemHostEnvironment.INSTANCE;
    }

    /** A host with the given name and address; {@code ipv4} null for a host with no usable address. */
    static HostEnvironment fixed(String hostName, String ipv4) {
        return new HostEnvironment() {
            @Override
            public String hostName() {
                return hostName;
            }

            @Override
            public Optional<String> firstUpIpv4Address() {
                return Optional.ofNullable(ipv4);
            }
        };
    }
}
