package io.sfufleet.model.signal;

/** Protocol constants shared by nodes and clients. */
public final class Protocol {
    /** Sent in {@link Join} and {@link Joined}. A node answers a version it does not speak with an error. */
    public static final int VERSION = 1;
    /** The WebSocket path on the node's client-facing listener. */
    public static final String WS_PATH = "/ws";

    private Protocol() {
    }
}
