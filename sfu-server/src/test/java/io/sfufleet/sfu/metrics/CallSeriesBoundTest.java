package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.MediaContext;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.SignalPeer;
import io.sfufleet.sfu.dtls.DtlsCounters;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.signal.SignallingHandler;
import io.sfufleet.sfu.transport.DropCounters;
import io.sfufleet.sfu.transport.PacketSink;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-call series stay bounded however many calls the node has, and leave with their call. */
class CallSeriesBoundTest {
    private static final int CALLS = 200;
    private static final int BOUND = 50;

    /** 1,000 joins would log 1,000 lines; the test needs none of them. */
    private static final java.util.logging.Logger CALL_LOG = java.util.logging.Logger.getLogger(CallManager.class.getName());

    private ScheduledExecutorService loop;
    private java.util.logging.Level callLogLevel;
    private CallManager manager;
    private NodeMetrics metrics;

    @BeforeEach
    void setUp() throws Exception {
        callLogLevel = CALL_LOG.getLevel();
        CALL_LOG.setLevel(java.util.logging.Level.WARNING);
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-media-loop"));
        metrics = new NodeMetrics(new DropCounters(), new DtlsCounters(), new SignallingHandler.Counters(), BOUND);
        MediaContext ctx = new MediaContext(loop, new PacketPool(16), new DropCounters(), null, new NoSink(), null,
                "127.0.0.1", 9, "test", 1000, 100, TimeUnit.SECONDS.toNanos(1), 1_000_000);
        manager = new CallManager(ctx);
        metrics.attach(manager);
    }

    @AfterEach
    void tearDown() {
        loop.shutdownNow();
        CALL_LOG.setLevel(callLogLevel);
    }

    @Test
    void aTickWith200CallsExposesOnlyTheLargest() throws Exception {
        // call i has 1 + i % 9 participants: 22 calls of 9, then 22 of 8, ... so the top 50 are clear-cut
        // only down to the size-7 calls, where the call id breaks the tie.
        onLoop(() -> {
            for (int i = 0; i < CALLS; i++) {
                for (int p = 0; p <= i % 9; p++) {
                    String call = String.format("c%03d", i);
                    manager.join(new Join(1, call, "p" + p, null), grant(call, "p" + p), new NoPeer());
                }
            }
            return null;
        });
        manager.start();
        waitFor(() -> !metrics.callMetrics().topCalls().samples().isEmpty());

        PrometheusText t = PrometheusText.parse(metrics.scrape());
        assertThat(t.value("sfu_calls")).isEqualTo(CALLS);
        List<PrometheusText.Sample> perCall = t.samples(TopCalls.PARTICIPANTS);
        assertThat(perCall).hasSize(BOUND);
        assertThat(t.samples(TopCalls.BITRATE)).hasSize(2 * BOUND);
        double smallestShown = perCall.stream().mapToDouble(PrometheusText.Sample::value).min().orElseThrow();
        Set<String> shown = new HashSet<>();
        perCall.forEach(s -> shown.add(s.labels().get("call")));
        onLoop(() -> {
            for (Call c : manager.calls()) {
                if (!shown.contains(c.id())) {
                    assertThat(c.participants().size()).isLessThanOrEqualTo((int) smallestShown);
                } else {
                    assertThat(t.value(TopCalls.PARTICIPANTS, "call", c.id())).isEqualTo(c.participants().size());
                }
            }
            return null;
        });
        assertThat(smallestShown).isEqualTo(7);

        // The largest call ends: its series go at once, before the next tick.
        String largest = perCall.stream().max((a, b) -> Double.compare(a.value(), b.value())).orElseThrow()
                .labels().get("call");
        onLoop(() -> {
            Call c = manager.call(largest);
            for (Participant p : new ArrayList<>(c.participants())) {
                manager.leave(p, "test");
            }
            return null;
        });
        PrometheusText after = PrometheusText.parse(metrics.scrape());
        assertThat(after.has(TopCalls.PARTICIPANTS, "call", largest)).isFalse();
        assertThat(after.has(TopCalls.BITRATE, "call", largest, "direction", "in")).isFalse();
        assertThat(after.value("sfu_calls")).isEqualTo(CALLS - 1);
    }

    /** What a token with every permission for {@code call} grants. */
    static JoinGrant grant(String call, String name) {
        return new JoinGrant(call, name, EnumSet.allOf(Permission.class), Instant.now().plusSeconds(300), "test");
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(15, TimeUnit.SECONDS);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }

    private static final class NoPeer implements SignalPeer {
        @Override
        public void send(ServerMessage message) {
        }

        @Override
        public void close() {
        }

        @Override
        public String remoteAddress() {
            return "test";
        }
    }

    private static final class NoSink implements PacketSink {
        @Override
        public void send(PacketBuffer packet, InetSocketAddress to) {
        }

        @Override
        public void sendNow(byte[] data, int off, int len, InetSocketAddress to) {
        }

        @Override
        public void flush() {
        }
    }
}
