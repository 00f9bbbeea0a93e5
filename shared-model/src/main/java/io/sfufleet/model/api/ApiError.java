package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of every 4xx and 5xx answer of the admin API (except {@code /readyz} and {@code /livez},
 * which answer {@link Health}). Clients branch on {@code error}; codes are never reused for
 * something else, and a code a client does not know should be handled by its HTTP status.
 *
 * @param status  the HTTP status, repeated
 * @param error   a short code: one of the constants of this record, or a newer one
 * @param message for people
 * @param field   the JSON field (or, for invalid_config, the dotted config key) at fault; null when none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiError(int status, String error, String message, String field) {
    /** 400: the body is not JSON, or a field is missing or invalid ({@code field} says which). */
    public static final String BAD_REQUEST = "bad_request";
    /** 401: no token, or the wrong one. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** 403: the request carries an Origin header, or (with no token configured) a Host that is not loopback. */
    public static final String FORBIDDEN = "forbidden";
    /** 404: no such route, call or participant. */
    public static final String NOT_FOUND = "not_found";
    /** 405: the route exists but not with this method; the Allow header lists those it takes. */
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** 409: the action does not fit the node's state (e.g. drain while stopping). */
    public static final String CONFLICT = "conflict";
    /** 413: the body is larger than {@link ApiPaths#MAX_REQUEST_BYTES}. */
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    /** 422: reload found the configuration file invalid; nothing was changed. */
    public static final String INVALID_CONFIG = "invalid_config";
    /** 500: a fault in the node. */
    public static final String INTERNAL = "internal";
    /** 503: the node is stopping and no longer takes this request. */
    public static final String UNAVAILABLE = "unavailable";

    public ApiError {
        Validation.require(status >= 400 && status <= 599, "status must be 400 to 599, not " + status);
        Validation.required("error", error);
    }
}
