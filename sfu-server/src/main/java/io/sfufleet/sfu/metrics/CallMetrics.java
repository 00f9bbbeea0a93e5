package io.sfufleet.sfu.metrics;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.CallEvents;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Track;

/**
 * Gauges of what the node hosts, kept by the call events (so they change the moment a call does,
 * with no walk over the calls at scrape time), and the per-call gauges of the largest calls,
 * recomputed on the once-a-second tick. Event methods run on the media loop.
 */
final class CallMetrics implements CallEvents {
    private final GaugeDataPoint calls;
    private final GaugeDataPoint participants;
    private final GaugeDataPoint audioTracks;
    private final GaugeDataPoint videoTracks;
    private final GaugeDataPoint draining;
    private final TopCalls topCalls;

    CallMetrics(PrometheusRegistry registry, int maxCallSeries) {
        calls = gauge(registry, "sfu_calls", "Calls on this node.");
        participants = gauge(registry, "sfu_participants", "Participants in all calls on this node.");
        Gauge tracks = Gauge.builder()
                .name("sfu_tracks")
                .help("Tracks published in all calls on this node, by kind.")
                .labelNames("kind")
                .withoutExemplars()
                .register(registry);
        audioTracks = tracks.labelValues(TrackKind.audio.name());
        videoTracks = tracks.labelValues(TrackKind.video.name());
        draining = gauge(registry, "sfu_node_draining", "1 while the node is draining (takes no new calls), else 0.");
        topCalls = new TopCalls(maxCallSeries);
        registry.register(topCalls);
    }

    private static GaugeDataPoint gauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).withoutExemplars().register(registry).labelValues();
    }

    /** Listens to {@code manager}'s events and ticks. Call before the manager starts. */
    void attach(CallManager manager) {
        manager.addListener(this);
        manager.addTickListener(() -> topCalls.update(manager.calls()));
    }

    TopCalls topCalls() {
        return topCalls;
    }

    @Override
    public void callStarted(Call call) {
        calls.inc();
    }

    @Override
    public void callEnded(Call call, String reason) {
        calls.dec();
        topCalls.remove(call.id());
    }

    @Override
    public void participantJoined(Participant p) {
        participants.inc();
    }

    @Override
    public void participantLeft(Participant p, String reason) {
        participants.dec();
    }

    @Override
    public void trackPublished(Track t) {
        (t.kind() == TrackKind.audio ? audioTracks : videoTracks).inc();
    }

    @Override
    public void trackUnpublished(Track t) {
        (t.kind() == TrackKind.audio ? audioTracks : videoTracks).dec();
    }

    @Override
    public void nodeStateChanged(boolean isDraining, long drainDeadlineMillis) {
        draining.set(isDraining ? 1 : 0);
    }
}
