package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.ServerMessage;

/** The signalling connection of one participant, as the call logic sees it. Thread-safe. */
public interface SignalPeer {
    void send(ServerMessage message);

    /** Closes the connection after the messages already sent. */
    void close();

    /** The client's address on the signalling connection, for diagnostics. */
    String remoteAddress();
}
