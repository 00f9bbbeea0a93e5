package io.sfufleet.model.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Invariant checks used by the records' compact constructors. Every message starts with the name
 * of the JSON field at fault, so a server can put it in {@link ApiError#field()}.
 */
final class Validation {
    /** The same rule as {@code io.sfufleet.model.signal.Join#callId}; ids are also path segments. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_REASON = 256;

    private Validation() {
    }

    /**
     * For constant messages only: the checks below build their message after the test fails, because
     * records are built by the hundred thousand (a console reading 10,000 participants' track stats)
     * and a message concatenated up front cost more than the record itself.
     */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void callId(String callId) {
        require(callId != null && ID.matcher(callId).matches(),
                "callId must be 1 to 64 characters of [A-Za-z0-9._-]");
    }

    /** A required identifier or code: not null, not blank. */
    static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    static void notNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, not " + value);
        }
    }

    static void nonNegative(String field, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, not " + value);
        }
    }

    /** Null means "not known"; a value must be >= 0. */
    static void nonNegativeOrNull(String field, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must be null (not known) or >= 0, not " + value);
        }
    }

    /** Null means "not known"; a value must be finite and >= 0 (so NaN must be sent as null). */
    static void nonNegativeOrNull(String field, Double value) {
        if (!(value == null || Double.isFinite(value) && value >= 0)) {
            throw new IllegalArgumentException(field + " must be null (not known) or a finite number >= 0, not " + value);
        }
    }

    static void percent(String field, double value) {
        if (!(Double.isFinite(value) && value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(field + " must be 0 to 100, not " + value);
        }
    }

    static void port(String field, int value, boolean zeroAllowed) {
        if (!(value <= 65535 && (zeroAllowed ? value >= 0 : value >= 1))) {
            throw new IllegalArgumentException(field + " must be " + (zeroAllowed ? "0" : "1") + " to 65535, not " + value);
        }
    }

    /** An RTP SSRC: an unsigned 32-bit number carried in a long. */
    static void ssrc(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " must be 0 to 4294967295, not " + value);
        }
    }

    static void reason(String field, String value) {
        if (value != null && value.length() > MAX_REASON) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_REASON + " characters");
        }
    }

    /** Null becomes empty; null elements are refused. The result is unmodifiable. */
    static <T> List<T> list(String field, List<T> value) {
        if (value == null) {
            return List.of();
        }
        for (T element : value) {
            // not value.contains(null): immutable lists throw on that
            if (element == null) {
                throw new IllegalArgumentException(field + " must not contain null");
            }
        }
        return List.copyOf(value);
    }

    /** Null becomes empty; null keys or values are refused. The result is unmodifiable, sorted by key. */
    static Map<String, String> map(String field, Map<String, String> value) {
        if (value == null) {
            return Map.of();
        }
        var sorted = new TreeMap<String, String>();
        for (Map.Entry<String, String> e : new ArrayList<>(value.entrySet())) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(field + " must not contain null keys or values");
            }
            sorted.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(sorted);
    }
}
