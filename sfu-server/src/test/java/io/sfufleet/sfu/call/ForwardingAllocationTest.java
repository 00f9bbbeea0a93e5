package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The forwarding hot path allocates nothing per packet in our code: one SRTP packet from the
 * publisher is unprotected once, then copied into a pooled buffer, protected and sent once per
 * receiver, and the bytes the driving thread allocates for that are measured with
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}.
 *
 * <p>That includes SRTP: {@code SrtpSession} keeps its cipher state preallocated per session
 * direction, so one client protect, one node unprotect and one protect per receiver cost nothing.
 * (Before it replaced jitsi-srtp 1.1, this test had to allow 64 to 120 bytes per SRTP operation.)
 *
 * <p>The thread that runs the loop below is the fixture's media loop, so everything the node does
 * for a packet is counted, the node's metrics (counters, forwarding-delay histogram) included. The
 * sink is the fixture's counting sink: the Netty write ({@code UdpPacketSink}, a pooled direct
 * buffer and a {@code DatagramPacket} per send) is not measured here.
 */
class ForwardingAllocationTest {
    private static final System.Logger LOG = System.getLogger(ForwardingAllocationTest.class.getName());
    private static final int RECEIVERS = 10;
    /** Enough packets for C2 to compile the path (escape analysis included), as in steady state. */
    private static final int WARM_UP_PACKETS = 60_000;
    private static final int MEASURED_PACKETS = 20_000;
    /** Packets between two decrypted samples; far below the 32768 an SRTP receiver can skip. */
    private static final int CHUNK = 10_000;
    private static final int AUDIO_PAYLOAD = 160;
    private static final int VERIFIED_PACKETS = 200;
    /**
     * "Nothing per packet", with room for noise: one object per receiver would be 16 bytes or more
     * times ten receivers; the bound is far below that and allows a few stray allocations over the
     * run (a lazily made map entry, a log line).
     */
    private static final double MAX_BYTES_PER_PACKET = 2;

    private static DtlsCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = DtlsCertificate.generate();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forwardingToTenReceiversAllocatesNothingPerPacket(SrtpProfile profile) {
        try (ForwardingFixture f = ForwardingFixture.builder()
                .receivers(RECEIVERS).profile(profile).certificate(certificate).nodeMetrics().build()) {
            ForwardingFixture.ClientStream audio = f.audioStream(AUDIO_PAYLOAD);
            f.sink().capture(true);
            everyReceiverDecryptsTheLastPacket(f, audio);
            for (int i = 0; i < WARM_UP_PACKETS; i += CHUNK) {
                forward(audio, CHUNK);
                everyReceiverDecryptsTheLastPacket(f, audio);
            }
            f.sink().reset();
            long poolBuffers = f.pool().allocatedCount();

            long allocated = 0;
            for (int i = 0; i < MEASURED_PACKETS; i += CHUNK) {
                allocated += forward(audio, CHUNK);
                everyReceiverDecryptsTheLastPacket(f, audio);
            }

            long sent = MEASURED_PACKETS + MEASURED_PACKETS / CHUNK;
            for (int r = 0; r < RECEIVERS; r++) {
                assertThat(f.sink().toReceiver(r)).as("packets sent to receiver %d", r).isEqualTo(sent);
            }
            assertThat(f.drops().total()).as("dropped packets").isZero();
            assertThat(f.pool().allocatedCount()).as("pool buffers made while measuring").isEqualTo(poolBuffers);
            double perPacket = (double) allocated / MEASURED_PACKETS;
            LOG.log(System.Logger.Level.INFO, () -> String.format(Locale.ROOT,
                    "%s: %.2f bytes per packet to %d receivers", profile, perPacket, RECEIVERS));
            assertThat(perPacket).as("bytes per forwarded packet (%s)", profile).isLessThan(MAX_BYTES_PER_PACKET);

            for (int n = 0; n < VERIFIED_PACKETS; n++) {
                everyReceiverDecryptsTheLastPacket(f, audio);
            }
        }
    }

    /** Sends {@code n} packets through the node; returns the bytes this thread allocated meanwhile. */
    private static long forward(ForwardingFixture.ClientStream stream, int n) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            stream.sendNext();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Sends one more packet and checks that each receiver's copy decrypts, with that receiver's
     * keys, to exactly what the browser sent. Done at least every {@link #CHUNK} packets so the
     * receivers' SRTP rollover counters keep up with the sequence numbers, as a real receiver's do.
     */
    private static void everyReceiverDecryptsTheLastPacket(ForwardingFixture f, ForwardingFixture.ClientStream audio) {
        PacketBuffer received = new PacketBuffer(PacketPool.BUFFER_SIZE);
        audio.sendNext();
        byte[] plain = audio.lastPlain();
        for (int r = 0; r < RECEIVERS; r++) {
            f.sink().lastTo(r, received);
            assertThat(f.receiverClient(r).unprotectRtp(received)).as("receiver %d decrypts", r)
                    .isEqualTo(SrtpResult.OK);
            byte[] got = Arrays.copyOfRange(received.getBuffer(), received.getOffset(),
                    received.getOffset() + received.getLength());
            assertThat(got).as("receiver %d gets sequence %d unchanged", r, audio.sequence()).isEqualTo(plain);
        }
    }
}
