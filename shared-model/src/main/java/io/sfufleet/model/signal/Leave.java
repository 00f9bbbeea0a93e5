package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The client leaves the call; the node closes the connection after it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Leave() implements ClientMessage {
}
