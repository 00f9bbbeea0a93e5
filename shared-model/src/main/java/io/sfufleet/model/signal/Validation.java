package io.sfufleet.model.signal;

import java.util.regex.Pattern;

/** Invariant checks used by the message records' compact constructors. */
final class Validation {
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Validation() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void callId(String callId) {
        require(callId != null && CALL_ID.matcher(callId).matches(),
                "callId must be 1 to 64 characters of [A-Za-z0-9._-]");
    }

    static void text(String field, String value, int max) {
        require(value != null && !value.isBlank() && value.length() <= max,
                field + " must be 1 to " + max + " characters");
    }

    static void notNull(String field, Object value) {
        require(value != null, field + " is required");
    }
}
