package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The node's SDP answer to the client's {@link PublishOffer}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishAnswer(String sdp) implements ServerMessage {
    public PublishAnswer {
        Validation.notNull("sdp", sdp);
    }
}
