package io.sfufleet.sfu.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.dtls.DtlsCounters;
import io.sfufleet.sfu.signal.SignallingHandler;
import io.sfufleet.sfu.transport.DropCounters;
import io.sfufleet.sfu.transport.DropReason;
import io.sfufleet.sfu.transport.MediaMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * A node's Prometheus metrics: owns the node's registry (never the client library's global
 * default), registers the process and JVM metrics, the media path's counters, the call gauges and
 * views over the engine's own counters, and writes the Prometheus text format (0.0.4) for
 * {@code GET /metrics}.
 *
 * <p>Built in two steps because the media path needs {@link #media()} before the call manager
 * exists: construct, hand {@link #media()} to the engine, then {@link #attach} the call manager
 * before it starts. {@link #writeTo} and {@link #scrape} may be called from any thread, any number
 * of times at once; they read counters and an immutable per-call list and never wait for the media
 * loop.
 */
public final class NodeMetrics {
    /** The content type of what {@link #writeTo} writes: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** How many calls get per-call series by default (the largest, by participants). */
    public static final int DEFAULT_MAX_CALL_SERIES = 50;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final PrometheusMediaMetrics media;
    private final CallMetrics calls;

    /**
     * @param drops         the node's datagram drop counters
     * @param dtls          the counters all of the node's DTLS sessions share
     * @param signalling    the signalling listener's counters
     * @param maxCallSeries at most this many calls get {@code sfu_call_*} series
     */
    public NodeMetrics(DropCounters drops, DtlsCounters dtls, SignallingHandler.Counters signalling, int maxCallSeries) {
        // Standard names (process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds,
        // process_max_fds, jvm_*), so the usual dashboards and alerts work unchanged.
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);

        media = new PrometheusMediaMetrics(registry);
        calls = new CallMetrics(registry, maxCallSeries);
        registerDrops(drops, dtls);
        registerRtcErrors(drops, dtls);
        registerSignalling(signalling);
    }

    private void registerDrops(DropCounters drops, DtlsCounters dtls) {
        CounterWithCallback.builder()
                .name("sfu_packets_dropped_total")
                .help("Datagrams the node dropped, by reason (DTLS session drops included as dtls_queue_full "
                        + "and dtls_malformed).")
                .labelNames("reason")
                .callback(cb -> {
                    for (DropReason r : DropReason.values()) {
                        long n = drops.count(r);
                        if (r == DropReason.DTLS_QUEUE_FULL) {
                            n += dtls.queueFullDrops();
                        }
                        cb.call(n, label(r));
                    }
                    cb.call(dtls.malformedDrops(), "dtls_malformed");
                })
                .register(registry);
    }

    private void registerRtcErrors(DropCounters drops, DtlsCounters dtls) {
        CounterWithCallback.builder()
                .name("sfu_rtc_errors_total")
                .help("WebRTC errors by type: failed DTLS handshakes, SRTP/SRTCP authentication failures and "
                        + "replays, other SRTP errors, STUN checks with bad credentials.")
                .labelNames("type")
                .callback(cb -> {
                    cb.call(dtls.handshakeFailures(), "dtls_handshake");
                    cb.call(drops.count(DropReason.SRTP_AUTH_FAILED), "srtp_auth");
                    cb.call(drops.count(DropReason.SRTP_REPLAY), "srtp_replay");
                    cb.call(drops.count(DropReason.SRTP_OTHER), "srtp_other");
                    cb.call(drops.count(DropReason.STUN_UNAUTHORIZED), "ice_auth");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_dtls_handshakes_total")
                .help("DTLS handshakes by result.")
                .labelNames("result")
                .callback(cb -> {
                    cb.call(dtls.handshakesCompleted(), "completed");
                    cb.call(dtls.handshakeFailures(), "failed");
                })
                .register(registry);
    }

    private void registerSignalling(SignallingHandler.Counters s) {
        // A gauge "sfu_ws_connections" cannot sit next to the counter "sfu_ws_connections_total":
        // both are the family sfu_ws_connections, and the client library rejects the pair.
        GaugeWithCallback.builder()
                .name("sfu_ws_connections_open")
                .help("Signalling WebSocket connections open now.")
                .callback(cb -> cb.call(s.websocketsOpen.sum()))
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_ws_connections_total")
                .help("Signalling WebSocket connections opened (completed handshakes).")
                .callback(cb -> cb.call(s.websocketsOpened.sum()))
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_ws_messages_total")
                .help("Signalling messages, by direction.")
                .labelNames("direction")
                .callback(cb -> {
                    cb.call(s.messagesIn.sum(), "in");
                    cb.call(s.messagesOut.sum(), "out");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_ws_bad_messages_total")
                .help("Signalling messages refused as malformed, unknown or too large.")
                .callback(cb -> cb.call(s.badMessages.sum()))
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_ws_unauthorized_joins_total")
                .help("Joins refused with UNAUTHORIZED: no join token, or one that did not verify.")
                .callback(cb -> cb.call(s.unauthorizedJoins.sum()))
                .register(registry);
        CounterWithCallback.builder()
                .name("sfu_http_connections_total")
                .help("TCP connections to the client listener (web client page loads and WebSockets).")
                .callback(cb -> cb.call(s.connections.sum()))
                .register(registry);
    }

    private static String label(DropReason r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Exposes {@code sfu_ready}: 1 while {@code ready} says the node takes new calls (what
     * {@code /readyz} answers), else 0. Call once; {@code ready} is called at each scrape, on the
     * scraping thread.
     */
    public void exposeReadiness(BooleanSupplier ready) {
        GaugeWithCallback.builder()
                .name("sfu_ready")
                .help("1 when the node takes new calls (what /readyz answers), else 0.")
                .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0))
                .register(registry);
    }

    /** What the media path counts into; hand it to the UDP handler and the media context. */
    public MediaMetrics media() {
        return media;
    }

    /**
     * Follows {@code manager}'s call events and once-a-second ticks. Call once, before the
     * manager starts (its listener lists belong to the media loop from then on).
     */
    public void attach(CallManager manager) {
        calls.attach(manager);
    }

    /** The node's registry, for components that add metrics of their own (the admin API, say). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** {@link #CONTENT_TYPE}: the Content-Type header for what {@link #writeTo} writes. */
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** Writes every metric in Prometheus text format 0.0.4 (UTF-8) to {@code out}; flushes, does not close. */
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** The metrics as {@link #writeTo} writes them, as a string. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    PrometheusMediaMetrics mediaMetrics() {
        return media;
    }

    CallMetrics callMetrics() {
        return calls;
    }
}
