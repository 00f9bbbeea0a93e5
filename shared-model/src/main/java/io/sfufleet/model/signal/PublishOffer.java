package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The client's SDP offer for its publish connection (first offer and every renegotiation, such as
 * starting or stopping a screen share). The node answers with {@link PublishAnswer}.
 *
 * @param sdp    the offer
 * @param tracks one entry per m-section the client sends on; m-sections not listed are not published
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishOffer(String sdp, List<PublishedTrack> tracks) implements ClientMessage {
    public PublishOffer {
        Validation.notNull("sdp", sdp);
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }
}
