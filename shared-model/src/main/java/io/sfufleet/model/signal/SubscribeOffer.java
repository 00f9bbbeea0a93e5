package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The node's SDP offer for the client's subscribe connection, sent whenever the set of tracks the
 * client receives changes. At most one offer is outstanding: the node waits for the
 * {@link SubscribeAnswer} with the same revision before it sends the next.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscribeOffer(String sdp, int revision) implements ServerMessage {
    public SubscribeOffer {
        Validation.notNull("sdp", sdp);
    }
}
