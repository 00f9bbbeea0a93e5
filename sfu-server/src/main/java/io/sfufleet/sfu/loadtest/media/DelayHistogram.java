package io.sfufleet.sfu.loadtest.media;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Forwarding delays in microseconds, log-linear buckets (64 per power of two, so a value is known
 * to within 1.6 %) from 0 to about 2^40 us. One thread records, any thread may read or merge:
 * counts are written with opaque stores, so a reader sees each count whole, maybe a little stale.
 */
public final class DelayHistogram {
    private static final int SUB = 64;
    private static final int MAX_SHIFT = 34;
    static final int BUCKETS = SUB + SUB * (MAX_SHIFT + 1);

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one delay; negative delays (clock trouble) count as 0. */
    public void record(long micros) {
        int i = index(Math.max(0, micros));
        counts.setOpaque(i, counts.getOpaque(i) + 1);
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        // v >>> shift lands in [64, 127]: 64 sub-buckets per power of two
        int shift = 63 - Long.numberOfLeadingZeros(v) - 6;
        if (shift > MAX_SHIFT) {
            return BUCKETS - 1;
        }
        return SUB * (shift + 1) + (int) ((v >>> shift) - SUB);
    }

    /** The smallest value that falls in bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < SUB) {
            return i;
        }
        int shift = i / SUB - 1;
        return ((long) (i % SUB) + SUB) << shift;
    }

    /** Adds this histogram's counts into {@code into} (a plain array of {@link #BUCKETS}). */
    public void addTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] += counts.getOpaque(i);
        }
    }

    public static long[] newCounts() {
        return new long[BUCKETS];
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.getOpaque(i);
        }
        return n;
    }

    /**
     * The {@code q}-quantile (0 to 1) of merged counts, as the lower bound of its bucket; -1 when
     * there are none.
     */
    public static long quantile(long[] merged, double q) {
        long total = 0;
        for (long c : merged) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        rank = Math.max(1, Math.min(total, rank));
        long seen = 0;
        for (int i = 0; i < merged.length; i++) {
            seen += merged[i];
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return lowerBound(merged.length - 1);
    }

    /** The quantile of this histogram alone. */
    public long quantile(double q) {
        long[] c = newCounts();
        addTo(c);
        return quantile(c, q);
    }
}
