package io.sfufleet.sfu.call;

/**
 * At most one keyframe request per interval per publisher track: keyframes are large, and a burst
 * of receivers asking at once (a late joiner, loss on many links) must cost the publisher one.
 * A request inside the interval is not lost: it is deferred to the end of the interval.
 */
final class KeyframeThrottle {
    private final long intervalNanos;
    private long lastSentNanos = Long.MIN_VALUE / 2;
    private boolean deferred;

    KeyframeThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Returns 0 if a request should be sent now, -1 if one is already deferred (nothing to do), or
     * the nanoseconds to wait before calling {@link #fireDeferred}.
     */
    long request(long nowNanos) {
        long since = nowNanos - lastSentNanos;
        if (since >= intervalNanos) {
            lastSentNanos = nowNanos;
            return 0;
        }
        if (deferred) {
            return -1;
        }
        deferred = true;
        return intervalNanos - since;
    }

    /** The deferred request is due; returns whether to send it. */
    boolean fireDeferred(long nowNanos) {
        if (!deferred) {
            return false;
        }
        deferred = false;
        lastSentNanos = nowNanos;
        return true;
    }
}
