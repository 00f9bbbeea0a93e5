package io.sfufleet.sfu.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sfufleet.sfu.transport.MediaMetrics;
import io.sfufleet.sfu.transport.PacketKind;
import io.sfufleet.sfu.transport.PeerTransport;
import java.util.Locale;

/**
 * The media path's counters. Every series is bound once, here, and kept in an array indexed by
 * the enum's ordinal, so counting a packet is an array read and a {@code LongAdder} increment.
 */
final class PrometheusMediaMetrics implements MediaMetrics {
    /** 10 us to 100 ms: forwarding on a healthy node takes tens of microseconds; 100 ms means a stall. */
    static final long[] FORWARDING_DELAY_BOUNDS_NANOS = {
            10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
            1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000};

    private final CounterDataPoint[] packetsIn = new CounterDataPoint[PacketKind.values().length];
    private final CounterDataPoint[] bytesIn = new CounterDataPoint[PacketKind.values().length];
    private final CounterDataPoint[] packetsOut = new CounterDataPoint[PacketKind.values().length];
    private final CounterDataPoint[] bytesOut = new CounterDataPoint[PacketKind.values().length];
    private final CounterDataPoint[] stateChanges = new CounterDataPoint[PeerTransport.State.values().length];
    private final CounterDataPoint[] notDecrypted = new CounterDataPoint[PacketKind.values().length];
    private final CounterDataPoint simulcastSwitches;
    private final CounterDataPoint svcSwitches;
    private final GaugeDataPoint sessions;
    private final LatencyHistogram forwardingDelay;

    PrometheusMediaMetrics(PrometheusRegistry registry) {
        Counter packets = Counter.builder()
                .name("sfu_media_packets_total")
                .help("Packets on the media port by direction and kind. In: STUN as received, DTLS and SRTCP "
                        + "from known clients before authentication, audio/video once decrypted and matched to a "
                        + "track; drops are also in sfu_packets_dropped_total. Out: queued for sending.")
                .labelNames("direction", "kind")
                .withoutExemplars()
                .register(registry);
        Counter bytes = Counter.builder()
                .name("sfu_media_bytes_total")
                .help("Bytes of sfu_media_packets_total. Audio/video: RTP packet size without the SRTP "
                        + "authentication tag; other kinds: datagram size.")
                .labelNames("direction", "kind")
                .withoutExemplars()
                .register(registry);
        for (PacketKind k : PacketKind.values()) {
            packetsIn[k.ordinal()] = packets.labelValues("in", k.label());
            bytesIn[k.ordinal()] = bytes.labelValues("in", k.label());
            packetsOut[k.ordinal()] = packets.labelValues("out", k.label());
            bytesOut[k.ordinal()] = bytes.labelValues("out", k.label());
        }

        Counter undecrypted = Counter.builder()
                .name("sfu_media_packets_not_decrypted_total")
                .help("Audio packets of tracks no receiver is selected for (top-N audio), dropped without "
                        + "decrypting them; one in 50 is still decrypted to keep the SRTP state current. Also in "
                        + "sfu_media_packets_total{direction=\"in\"}.")
                .labelNames("kind")
                .withoutExemplars()
                .register(registry);
        // audio only: the only kind the node leaves undecrypted (top-N); no empty series for the rest
        notDecrypted[PacketKind.AUDIO.ordinal()] = undecrypted.labelValues(PacketKind.AUDIO.label());

        Counter switches = Counter.builder()
                .name("sfu_layer_switches_total")
                .help("Times a receiver moved to another layer of a video track: simulcast (another rid) or svc"
                        + " (another spatial or temporal layer of VP9/AV1). Many per minute mean receivers' estimates"
                        + " swing around a layer's rate; each switch up costs the publisher a keyframe.")
                .labelNames("kind")
                .withoutExemplars()
                .register(registry);
        simulcastSwitches = switches.labelValues("simulcast");
        svcSwitches = switches.labelValues("svc");

        Counter states = Counter.builder()
                .name("sfu_transport_state_changes_total")
                .help("Transports (one per participant and direction) entering each state; new = created.")
                .labelNames("state")
                .withoutExemplars()
                .register(registry);
        for (PeerTransport.State s : PeerTransport.State.values()) {
            stateChanges[s.ordinal()] = states.labelValues(s.name().toLowerCase(Locale.ROOT));
        }
        sessions = Gauge.builder()
                .name("sfu_sessions")
                .help("Transports (ICE-lite/DTLS/SRTP sessions) that exist and are not closed.")
                .withoutExemplars()
                .register(registry)
                .labelValues();

        forwardingDelay = new LatencyHistogram("sfu_forwarding_delay_seconds",
                "Time from reading an RTP datagram from the socket to queueing it for one receiver.",
                FORWARDING_DELAY_BOUNDS_NANOS);
        registry.register(forwardingDelay);
    }

    @Override
    public void received(PacketKind kind, int bytes) {
        int i = kind.ordinal();
        packetsIn[i].inc();
        bytesIn[i].inc(bytes);
    }

    @Override
    public void sent(PacketKind kind, int bytes) {
        int i = kind.ordinal();
        packetsOut[i].inc();
        bytesOut[i].inc(bytes);
    }

    @Override
    public void forwarded(PacketKind kind, int bytes, long receivedAtNanos) {
        sent(kind, bytes);
        if (receivedAtNanos != 0) {
            forwardingDelay.observeNanos(System.nanoTime() - receivedAtNanos);
        }
    }

    @Override
    public void notDecrypted(PacketKind kind) {
        CounterDataPoint c = notDecrypted[kind.ordinal()];
        if (c != null) {
            c.inc();
        }
    }

    @Override
    public void layerSwitches(boolean layered, long count) {
        (layered ? svcSwitches : simulcastSwitches).inc(count);
    }

    @Override
    public void transportState(PeerTransport.State state) {
        stateChanges[state.ordinal()].inc();
        if (state == PeerTransport.State.NEW) {
            sessions.inc();
        } else if (state == PeerTransport.State.CLOSED) {
            sessions.dec();
        }
    }

    LatencyHistogram forwardingDelay() {
        return forwardingDelay;
    }
}
