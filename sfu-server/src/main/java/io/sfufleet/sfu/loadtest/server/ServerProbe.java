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

    /** "sfu-fleet node 0.1.0", "Janus 1.1.2". */
    String describe();
}
