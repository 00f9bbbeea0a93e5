package io.sfufleet.sfu.bench;

import io.sfufleet.sfu.call.ForwardingFixture;
import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.transport.PeerTransport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the media loop spends on one incoming media packet that goes to N receivers, on the real
 * path: {@link PeerTransport#onSrtp} of the publisher's transport (header check, SRTP unprotect
 * once, SSRC lookup, receive statistics) and {@code CallManager.forward} (per receiver: copy into a
 * pooled buffer, SRTP protect with that receiver's keys, count in the node's metrics, hand to the
 * packet sink).
 *
 * <p>The call is built by {@link ForwardingFixture}: real signalling objects (a publisher whose
 * Chrome offer was answered, N receivers whose subscribe offers were answered), transports keyed
 * with random SRTP keys through {@link PeerTransport#installKeys}, the node's real metrics. The
 * benchmark thread is the fixture's media loop. Not included: the socket read and the Netty write.
 * The sink only counts, so {@code UdpPacketSink}'s direct buffer, {@code DatagramPacket} and
 * {@code sendmmsg} are not in these figures.
 *
 * <p>{@code forward} also contains the browser's work for the packet: the client-side
 * {@code protectRtp} that makes the SRTP packet the node receives. {@code clientProtect} measures
 * that alone so it can be subtracted; the marginal cost of one more receiver is
 * {@code (forward(N=50) - forward(N=1)) / 49}, where it cancels anyway.
 *
 * <pre>
 * bench/jmh.sh ForwardingBenchmark -w 2s -r 2s            # add -prof gc for bytes per packet
 * bench/jmh.sh ForwardingBenchmark.forward -p kind=audio -p receivers=1,50
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djava.util.logging.config.file=/dev/null"})
public class ForwardingBenchmark {
    /** Opus at 20 ms is 100 to 160 bytes; a full VP8 packet is about 1200. */
    private static final int AUDIO_PAYLOAD = 160;
    private static final int VIDEO_PAYLOAD = 1200;

    /** One publisher, N receivers, the publisher's browser sending one stream. */
    @State(Scope.Thread)
    public static class Call {
        @Param({"1", "10", "50"})
        int receivers;

        @Param({"audio", "video"})
        String kind;

        @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
        SrtpProfile profile;

        ForwardingFixture fixture;
        ForwardingFixture.ClientStream stream;
        long packets;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = ForwardingFixture.builder().receivers(receivers).profile(profile)
                    .certificate(DtlsCertificate.generate()).nodeMetrics().build();
            stream = kind.equals("audio") ? fixture.audioStream(AUDIO_PAYLOAD) : fixture.videoStream(VIDEO_PAYLOAD);
        }

        /** Every packet must have reached every receiver, or the figures measured a drop path. */
        @TearDown(Level.Trial)
        public void check() {
            try {
                long expected = packets * receivers;
                if (fixture.sink().toReceivers() != expected || fixture.drops().total() != 0) {
                    throw new IllegalStateException("forwarded " + fixture.sink().toReceivers() + " of " + expected
                            + " packets; " + fixture.drops().total() + " dropped");
                }
            } finally {
                fixture.close();
            }
        }
    }

    /** Just the browser's side: one session protecting one stream, no node involved. */
    @State(Scope.Thread)
    public static class Browser {
        @Param({"audio", "video"})
        String kind;

        @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
        SrtpProfile profile;

        ForwardingFixture fixture;
        ForwardingFixture.ClientStream stream;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = ForwardingFixture.builder().receivers(0).profile(profile)
                    .certificate(DtlsCertificate.generate()).build();
            stream = kind.equals("audio") ? fixture.audioStream(AUDIO_PAYLOAD) : fixture.videoStream(VIDEO_PAYLOAD);
        }

        @TearDown(Level.Trial)
        public void close() {
            fixture.close();
        }
    }

    /** Browser protect + node receive + N x (copy, protect, send). */
    @Benchmark
    public long forward(Call c) {
        c.stream.sendNext();
        c.packets++;
        return c.fixture.sink().toReceivers();
    }

    /** The browser protect that {@link #forward} includes, to subtract. */
    @Benchmark
    public PacketBuffer clientProtect(Browser b) {
        return b.stream.protectNext();
    }
}
