package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * First frame of the event stream; the events after it are what happened since.
 *
 * @param apiVersion {@link ApiPaths#API_VERSION}
 * @param nodeName   the node's name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HelloEvent(int apiVersion, String nodeName, long atMillis) implements NodeEvent {
    public HelloEvent {
        Validation.require(apiVersion > 0, "apiVersion must be positive, not " + apiVersion);
        Validation.required("nodeName", nodeName);
        Validation.nonNegative("atMillis", atMillis);
    }
}
