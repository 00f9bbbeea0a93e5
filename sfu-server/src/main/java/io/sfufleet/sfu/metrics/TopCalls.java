package io.sfufleet.sfu.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Subscription;
import io.sfufleet.sfu.call.Track;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Per-call gauges for the largest calls only: a node with thousands of calls must not give
 * Prometheus thousands of series per scrape, so at most {@code limit} calls (by participants, then
 * by call id) are exposed. Recomputed on the media loop once a second into an immutable list that
 * scrapes read; a call that ends leaves at once.
 */
final class TopCalls implements MultiCollector {
    static final String PARTICIPANTS = "sfu_call_participants";
    static final String BITRATE = "sfu_call_bitrate_bps";

    private static final Comparator<Call> LARGEST_FIRST =
            Comparator.<Call>comparingInt(c -> c.participants().size()).reversed().thenComparing(Call::id);

    /** One call's values at the last tick. */
    record Sample(String callId, int participants, long bitrateInBps, long bitrateOutBps) {
    }

    private final int limit;
    private final MetricMetadata participantsMetadata = new MetricMetadata(PARTICIPANTS,
            "Participants of each of the largest calls on this node (at most a fixed number of calls are listed).");
    private final MetricMetadata bitrateMetadata = new MetricMetadata(BITRATE,
            "Media bitrate of each of the largest calls, bits per second over the last second: "
                    + "in = what its participants publish, out = what the node sends them.");
    private volatile List<Sample> samples = List.of();

    TopCalls(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        this.limit = limit;
    }

    /** Media loop, after the tick updated the bitrates. */
    void update(Collection<Call> calls) {
        List<Call> largest = new ArrayList<>(calls);
        largest.sort(LARGEST_FIRST);
        if (largest.size() > limit) {
            largest = largest.subList(0, limit);
        }
        List<Sample> next = new ArrayList<>(largest.size());
        for (Call c : largest) {
            long in = 0;
            long out = 0;
            for (Participant p : c.participants()) {
                for (Track t : p.tracks()) {
                    in += t.bitrateBps();
                }
                for (Subscription s : p.receiving()) {
                    out += s.bitrateBps();
                }
            }
            next.add(new Sample(c.id(), c.participants().size(), in, out));
        }
        samples = List.copyOf(next);
    }

    /** A call ended: its series go now, not at the next tick. Media loop. */
    void remove(String callId) {
        List<Sample> current = samples;
        if (current.stream().anyMatch(s -> s.callId().equals(callId))) {
            samples = current.stream().filter(s -> !s.callId().equals(callId)).toList();
        }
    }

    List<Sample> samples() {
        return samples;
    }

    @Override
    public MetricSnapshots collect() {
        List<Sample> current = samples;
        List<GaugeDataPointSnapshot> participants = new ArrayList<>(current.size());
        List<GaugeDataPointSnapshot> bitrate = new ArrayList<>(current.size() * 2);
        for (Sample s : current) {
            participants.add(new GaugeDataPointSnapshot(s.participants(), Labels.of("call", s.callId()), null));
            bitrate.add(new GaugeDataPointSnapshot(s.bitrateInBps(), Labels.of("call", s.callId(), "direction", "in"), null));
            bitrate.add(new GaugeDataPointSnapshot(s.bitrateOutBps(), Labels.of("call", s.callId(), "direction", "out"), null));
        }
        return new MetricSnapshots(new GaugeSnapshot(participantsMetadata, participants),
                new GaugeSnapshot(bitrateMetadata, bitrate));
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(MetricFamilyDescriptor.of(MetricType.GAUGE, participantsMetadata, List.of("call")),
                MetricFamilyDescriptor.of(MetricType.GAUGE, bitrateMetadata, List.of("call", "direction")));
    }
}
