package io.sfufleet.sfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped datagrams by reason and logs at most one line per reason per interval, so a
 * flood of bad packets is visible without filling the disk.
 */
public final class DropCounters {
    private static final System.Logger LOG = System.getLogger(DropCounters.class.getName());
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final LongAdder[] counts = new LongAdder[DropReason.values().length];
    private final long[] lastLogged = new long[DropReason.values().length];

    public DropCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
            lastLogged[i] = Long.MIN_VALUE / 2;
        }
    }

    public void drop(DropReason reason, Object context) {
        counts[reason.ordinal()].increment();
        long now = System.nanoTime();
        int i = reason.ordinal();
        if (now - lastLogged[i] >= LOG_INTERVAL_NANOS) {
            lastLogged[i] = now;
            LOG.log(System.Logger.Level.WARNING, "dropped datagram: {0} ({1}); {2} so far",
                    reason, context, counts[i].sum());
        }
    }

    public long count(DropReason reason) {
        return counts[reason.ordinal()].sum();
    }

    public long total() {
        long t = 0;
        for (LongAdder c : counts) {
            t += c.sum();
        }
        return t;
    }
}
