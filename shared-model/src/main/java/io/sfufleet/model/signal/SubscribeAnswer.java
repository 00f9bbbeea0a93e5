package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The client's answer to a {@link SubscribeOffer}.
 *
 * @param sdp      the answer
 * @param revision the revision of the offer being answered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscribeAnswer(String sdp, int revision) implements ClientMessage {
    public SubscribeAnswer {
        Validation.notNull("sdp", sdp);
    }
}
