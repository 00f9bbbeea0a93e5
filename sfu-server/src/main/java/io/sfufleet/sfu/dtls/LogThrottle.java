package io.sfufleet.sfu.dtls;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval, so that a peer flooding us with bad datagrams fills a
 * counter, not the log. Thread-safe; callers that lose the race just skip their line.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final AtomicLong nextAllowed;

    LogThrottle(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nextAllowed = new AtomicLong(System.nanoTime());
    }

    boolean allow() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        return now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos);
    }
}
