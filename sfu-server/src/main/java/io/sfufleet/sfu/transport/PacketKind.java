package io.sfufleet.sfu.transport;

import java.util.Locale;

/** What a datagram on the media port carries, as the node classifies it; a metric label. */
public enum PacketKind {
    AUDIO,
    VIDEO,
    RTCP,
    STUN,
    DTLS;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used as a metric label value. */
    public String label() {
        return label;
    }
}
