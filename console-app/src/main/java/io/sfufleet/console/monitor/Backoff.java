package io.sfufleet.console.monitor;

import java.time.Duration;

/** Reconnect delays: doubling from {@code first} up to {@code max}, back to {@code first} after a success. */
public final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max, not " + first + ", " + max);
        }
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = firstMillis;
    }

    /** The delay before the next attempt; each call doubles the one after it. */
    public synchronized long nextDelayMillis() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return d;
    }

    public synchronized void reset() {
        nextMillis = firstMillis;
    }
}
