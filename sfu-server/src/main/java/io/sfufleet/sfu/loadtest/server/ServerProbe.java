package io.sfufleet.sfu.loadtest.server;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/** Reads a server's own accounting during a run. */
public interface ServerProbe {
    /** CPU, memory and rates now. */
    ServerSample sample() throws IOException;

    /** The server's counters for these calls, if it keeps them. */
    Optional<ServerTotals> totals(Collection<String> callIds) throws IOException;

    /**
     * The server's own histogram of the time a packet spends inside it, cumulative since it started;
     * empty when it keeps none (Janus).
     */
    default Optional<ServerDelay> forwardingDelay() throws IOException {
        return Optional.empty();
    }

    /** "sfu-fleet node 0.1.0", "Janus 1.1.2". */
    String describe();
}
