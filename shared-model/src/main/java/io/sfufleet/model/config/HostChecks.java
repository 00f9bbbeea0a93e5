package io.sfufleet.model.config;

import java.util.Optional;

/**
 * The checks only the machine that runs the node can answer: whether a file the config names is
 * readable there, and the automatic values (host name, detected address). The server implements it
 * for its own machine; the console, which validates a config before it exists on any host, uses
 * {@link #deferred()}, and the node itself checks the rest when the pushed file is loaded.
 */
public interface HostChecks {

    /** The host name, or an empty string if it cannot be found out. Must not query DNS. */
    String hostName();

    /** The first non-loopback IPv4 address of an interface that is up, in interface order. */
    Optional<String> firstUpIpv4Address();

    /** Why {@code path} is not a readable regular file on the host, or null if it is. */
    String unreadableFile(String path);

    /**
     * False when these checks are not run on the node's machine: files are then not looked at, and
     * automatic values left empty stay empty (the node fills them in when it loads the file).
     */
    default boolean onHost() {
        return true;
    }

    /** For the console: every host-dependent check is left to the node ("checked on the host at push"). */
    static HostChecks deferred() {
        return Deferred.INSTANCE;
    }

    /** What {@link #deferred()} answers; an enum so it is a serializable singleton without a class of its own. */
    enum Deferred implements HostChecks {
        INSTANCE;

        @Override
        public String hostName() {
            return "";
        }

        @Override
        public Optional<String> firstUpIpv4Address() {
            return Optional.empty();
        }

        @Override
        public String unreadableFile(String path) {
            return null;
        }

        @Override
        public boolean onHost() {
            return false;
        }
    }
}
