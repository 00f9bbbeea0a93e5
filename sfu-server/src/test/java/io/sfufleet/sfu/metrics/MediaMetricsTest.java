package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sfufleet.sfu.transport.PacketKind;
import io.sfufleet.sfu.transport.PeerTransport;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The media path's counters: what they count, and that counting allocates nothing. */
class MediaMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusMediaMetrics metrics = new PrometheusMediaMetrics(registry);

    private PrometheusText scrape() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return PrometheusText.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void countsByDirectionAndKindAndTimesForwarding() {
        metrics.received(PacketKind.AUDIO, 100);
        metrics.received(PacketKind.AUDIO, 120);
        metrics.received(PacketKind.STUN, 60);
        metrics.sent(PacketKind.DTLS, 1000);
        long now = System.nanoTime();
        metrics.forwarded(PacketKind.VIDEO, 1200, now - 30_000_000); // 30 ms ago
        metrics.forwarded(PacketKind.VIDEO, 1100, 0); // arrival unknown: counted, not timed

        PrometheusText t = scrape();
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "audio")).isEqualTo(2);
        assertThat(t.value("sfu_media_bytes_total", "direction", "in", "kind", "audio")).isEqualTo(220);
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "stun")).isEqualTo(1);
        assertThat(t.value("sfu_media_packets_total", "direction", "out", "kind", "dtls")).isEqualTo(1);
        assertThat(t.value("sfu_media_packets_total", "direction", "out", "kind", "video")).isEqualTo(2);
        assertThat(t.value("sfu_media_bytes_total", "direction", "out", "kind", "video")).isEqualTo(2300);
        // every kind and direction is there from the start, at 0
        assertThat(t.samples("sfu_media_packets_total")).hasSize(2 * PacketKind.values().length);
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "rtcp")).isZero();

        assertThat(t.value("sfu_forwarding_delay_seconds_count")).isEqualTo(1);
        assertThat(t.value("sfu_forwarding_delay_seconds_bucket", "le", "0.025")).isZero();
        assertThat(t.value("sfu_forwarding_delay_seconds_bucket", "le", "0.05")).isEqualTo(1);
        assertThat(t.value("sfu_forwarding_delay_seconds_sum")).isBetween(0.030, 1.0);
        assertThat(t.samples("sfu_forwarding_delay_seconds_bucket")).extracting(s -> s.labels().get("le"))
                .containsExactly("1.0E-5", "2.5E-5", "5.0E-5", "1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025",
                        "0.005", "0.01", "0.025", "0.05", "0.1", "+Inf");
    }

    @Test
    void transportStatesKeepTheSessionGauge() {
        for (PeerTransport.State s : new PeerTransport.State[] {PeerTransport.State.NEW, PeerTransport.State.NEW,
                PeerTransport.State.CHECKING, PeerTransport.State.CONNECTED, PeerTransport.State.FAILED,
                PeerTransport.State.CLOSED}) {
            metrics.transportState(s);
        }
        PrometheusText t = scrape();
        assertThat(t.value("sfu_sessions")).isEqualTo(1);
        assertThat(t.value("sfu_transport_state_changes_total", "state", "new")).isEqualTo(2);
        assertThat(t.value("sfu_transport_state_changes_total", "state", "failed")).isEqualTo(1);
        assertThat(t.value("sfu_transport_state_changes_total", "state", "closed")).isEqualTo(1);
    }

    @Test
    void histogramBucketsAreInclusiveUpperBounds() {
        LatencyHistogram h = new LatencyHistogram("x_seconds", "x", 10, 20);
        h.observeNanos(10);
        h.observeNanos(11);
        h.observeNanos(-5); // a clock step counts as 0
        h.observeNanos(21);
        var snapshot = (io.prometheus.metrics.model.snapshots.HistogramSnapshot) h.collect();
        var buckets = snapshot.getDataPoints().get(0).getClassicBuckets();
        assertThat(buckets.getCount(0)).isEqualTo(2); // -5 -> 0 and 10
        assertThat(buckets.getCount(1)).isEqualTo(1);
        assertThat(buckets.getCount(2)).isEqualTo(1);
        assertThat(h.count()).isEqualTo(4);
    }

    /**
     * Counting a packet and timing a forward must allocate nothing (STYLE.md: prove it). The
     * thread's allocation counter over a million calls of each, after warm-up, stays far below
     * one byte per call (a single 16-byte object per call would show as 16 MB).
     */
    @Test
    void countingAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long receivedAt = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
            exercise(receivedAt, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            exercise(receivedAt, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 3 million counting calls").isLessThan(100_000);
    }

    private void exercise(long receivedAt, int i) {
        metrics.received(PacketKind.AUDIO, 100 + (i & 63));
        metrics.sent(PacketKind.RTCP, 80);
        metrics.forwarded(PacketKind.VIDEO, 1000, receivedAt - (i & 1023) * 1000L);
    }
}
