package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Answer to drain, undrain, mute, kick and end call when they succeed (HTTP 200). Failures are
 * an {@link ApiError} instead, so {@code ok} is false only from a node that cannot say more.
 *
 * @param ok      the action was done (or there was nothing to do)
 * @param message for people, e.g. "muted 2 tracks", "was not draining"; may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActionResult(boolean ok, String message) {
}
