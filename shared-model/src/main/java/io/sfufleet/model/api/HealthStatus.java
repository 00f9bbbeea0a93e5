package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Outcome of a probe; the HTTP status says the same (200 for ok, 503 for fail). */
public enum HealthStatus {
    ok,
    fail,
    /** A value from a newer node that this version does not know. */
    @JsonEnumDefaultValue
    unknown
}
