package io.sfufleet.sfu.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A classic histogram of durations with fixed buckets whose {@link #observeNanos} allocates
 * nothing: one bucket counter and the sum are incremented. The client library's {@code Histogram}
 * (1.8.0) allocates on every observation, which the forwarding path cannot afford.
 *
 * <p>A scrape reads the bucket counters one by one while the media loop may go on observing, so
 * {@code _sum} may lag the buckets by an observation or two; {@code _count} is always the sum of
 * the buckets, so the {@code le="+Inf"} bucket and {@code _count} agree in every scrape.
 */
final class LatencyHistogram implements Collector {
    private final MetricMetadata metadata;
    private final long[] upperBoundsNanos;
    /** The bounds in seconds, with +Inf last. */
    private final double[] upperBoundsSeconds;
    /** Not cumulative; the last one counts what is above every bound. */
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    /**
     * @param name            ends in {@code _seconds}
     * @param upperBoundsNanos bucket upper bounds, strictly increasing and positive; +Inf is added
     */
    LatencyHistogram(String name, String help, long... upperBoundsNanos) {
        if (upperBoundsNanos.length == 0) {
            throw new IllegalArgumentException(name + ": at least one bucket bound is needed");
        }
        for (int i = 0; i < upperBoundsNanos.length; i++) {
            if (upperBoundsNanos[i] <= 0 || (i > 0 && upperBoundsNanos[i] <= upperBoundsNanos[i - 1])) {
                throw new IllegalArgumentException(name + ": bucket bounds must be positive and strictly increasing, got "
                        + Arrays.toString(upperBoundsNanos));
            }
        }
        this.metadata = new MetricMetadata(name, help, Unit.SECONDS);
        this.upperBoundsNanos = upperBoundsNanos.clone();
        this.upperBoundsSeconds = new double[upperBoundsNanos.length + 1];
        for (int i = 0; i < upperBoundsNanos.length; i++) {
            upperBoundsSeconds[i] = upperBoundsNanos[i] / 1e9;
        }
        upperBoundsSeconds[upperBoundsNanos.length] = Double.POSITIVE_INFINITY;
        this.counts = new LongAdder[upperBoundsNanos.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one duration; negative durations (a clock step) count as 0. Thread-safe; allocates nothing. */
    void observeNanos(long nanos) {
        long v = Math.max(0, nanos);
        int i = 0;
        while (i < upperBoundsNanos.length && v > upperBoundsNanos[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(v);
    }

    /** Observations so far (the sum of all buckets). */
    long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    @Override
    public MetricSnapshot collect() {
        long[] snapshot = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            snapshot[i] = counts[i].sum();
        }
        return new HistogramSnapshot(metadata, java.util.List.of(
                HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBoundsSeconds, snapshot))
                        .sum(sumNanos.sum() / 1e9)
                        .build()));
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
        return MetricFamilyDescriptor.of(MetricType.HISTOGRAM, metadata);
    }
}
