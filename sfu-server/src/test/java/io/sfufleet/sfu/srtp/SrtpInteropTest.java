package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.buffer;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.keys;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtcpReceiverReport;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.PacketBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our SRTP against jitsi-srtp 1.1 (OpenSSL), the implementation the node used before and that
 * talks to browsers in Jitsi Meet, in both directions and for both profiles: RTP across a
 * sequence-number wrap (the ROC must advance on both sides or every packet after the wrap fails
 * authentication), SRTCP, and the refusals (replay, tampered tag) counted on our side.
 *
 * <p>Our side plays the node (DTLS server), jitsi's the browser (DTLS client).
 */
class SrtpInteropTest {
    private static final int SSRC = 0x1234_5678;
    /** Starts just before the wrap so 100 packets cross it. */
    private static final int FIRST_SEQ = 65_500;
    private static final int PACKETS = 100;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void jitsiDecryptsOurRtpAcrossTheRolloverAndOurRtcp(SrtpProfile profile) {
        try (SrtpSession ours = new SrtpSession(keys(profile), true);
                JitsiSrtpSession jitsi = new JitsiSrtpSession(keys(profile), false)) {
            PacketBuffer p = buffer();
            for (int i = 0; i < PACKETS; i++) {
                int seq = (FIRST_SEQ + i) & 0xFFFF;
                byte[] plain = rtp(seq, SSRC, 20 + i * 13 % 1200);
                p.set(plain, 0, plain.length);
                assertThat(ours.protectRtp(p)).isEqualTo(SrtpResult.OK);
                assertThat(p.getLength()).isEqualTo(plain.length + (profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10));
                assertThat(jitsi.unprotectRtp(p)).as("jitsi unprotects sequence %d", seq).isEqualTo(SrtpResult.OK);
                assertThat(bytes(p)).as("sequence %d round trip", seq).isEqualTo(plain);
            }
            for (int i = 0; i < 5; i++) {
                byte[] plain = rtcpReceiverReport(SSRC);
                p.set(plain, 0, plain.length);
                assertThat(ours.protectRtcp(p)).isEqualTo(SrtpResult.OK);
                assertThat(jitsi.unprotectRtcp(p)).as("jitsi unprotects RTCP %d", i).isEqualTo(SrtpResult.OK);
                assertThat(bytes(p)).isEqualTo(plain);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weDecryptJitsisRtpAcrossTheRolloverAndItsRtcp(SrtpProfile profile) {
        try (SrtpSession ours = new SrtpSession(keys(profile), true);
                JitsiSrtpSession jitsi = new JitsiSrtpSession(keys(profile), false)) {
            PacketBuffer p = buffer();
            for (int i = 0; i < PACKETS; i++) {
                int seq = (FIRST_SEQ + i) & 0xFFFF;
                byte[] plain = rtp(seq, SSRC, 20 + i * 13 % 1200);
                p.set(plain, 0, plain.length);
                assertThat(jitsi.protectRtp(p)).isEqualTo(SrtpResult.OK);
                assertThat(ours.unprotectRtp(p)).as("we unprotect sequence %d", seq).isEqualTo(SrtpResult.OK);
                assertThat(bytes(p)).as("sequence %d round trip", seq).isEqualTo(plain);
            }
            for (int i = 0; i < 5; i++) {
                byte[] plain = rtcpReceiverReport(SSRC);
                p.set(plain, 0, plain.length);
                assertThat(jitsi.protectRtcp(p)).isEqualTo(SrtpResult.OK);
                assertThat(ours.unprotectRtcp(p)).as("we unprotect RTCP %d", i).isEqualTo(SrtpResult.OK);
                assertThat(bytes(p)).isEqualTo(plain);
            }
            assertThat(ours.count(SrtpResult.OK)).isEqualTo(PACKETS + 5);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysOfJitsisPacketsAreRefusedAndCounted(SrtpProfile profile) {
        try (SrtpSession ours = new SrtpSession(keys(profile), true);
                JitsiSrtpSession jitsi = new JitsiSrtpSession(keys(profile), false)) {
            byte[][] wire = new byte[80][];
            PacketBuffer p = buffer();
            for (int i = 0; i < wire.length; i++) {
                byte[] plain = rtp(1000 + i, SSRC, 160);
                p.set(plain, 0, plain.length);
                assertThat(jitsi.protectRtp(p)).isEqualTo(SrtpResult.OK);
                wire[i] = bytes(p);
            }
            // In order except packet 70, which comes late but still inside the 64-packet window.
            for (int i = 0; i < wire.length; i++) {
                if (i != 70) {
                    assertThat(unprotect(ours, wire[i], p)).isEqualTo(SrtpResult.OK);
                }
            }
            assertThat(unprotect(ours, wire[70], p)).as("late but inside the window").isEqualTo(SrtpResult.OK);
            assertThat(unprotect(ours, wire[70], p)).as("the same packet again").isEqualTo(SrtpResult.REPLAY);
            assertThat(unprotect(ours, wire[79], p)).as("the newest again").isEqualTo(SrtpResult.REPLAY);
            assertThat(unprotect(ours, wire[5], p)).as("behind the window").isEqualTo(SrtpResult.REPLAY);
            assertThat(ours.count(SrtpResult.REPLAY)).isEqualTo(3);

            byte[] rtcp = rtcpReceiverReport(SSRC);
            p.set(rtcp, 0, rtcp.length);
            assertThat(jitsi.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            byte[] srtcp = bytes(p);
            p.set(srtcp, 0, srtcp.length);
            assertThat(ours.unprotectRtcp(p)).isEqualTo(SrtpResult.OK);
            p.set(srtcp, 0, srtcp.length);
            assertThat(ours.unprotectRtcp(p)).as("SRTCP replay").isEqualTo(SrtpResult.REPLAY);
            assertThat(ours.count(SrtpResult.REPLAY)).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsAreRefusedAndCountedBothWays(SrtpProfile profile) {
        try (SrtpSession ours = new SrtpSession(keys(profile), true);
                JitsiSrtpSession jitsi = new JitsiSrtpSession(keys(profile), false)) {
            PacketBuffer p = buffer();
            byte[] plain = rtp(7, SSRC, 160);
            p.set(plain, 0, plain.length);
            assertThat(jitsi.protectRtp(p)).isEqualTo(SrtpResult.OK);
            byte[] wire = bytes(p);
            for (int at : new int[] {wire.length - 1, 20, 3}) { // the tag, the payload, the header
                byte[] bad = Arrays.copyOf(wire, wire.length);
                bad[at] ^= 0x01;
                assertThat(unprotect(ours, bad, p)).as("flipped bit at byte %d", at).isEqualTo(SrtpResult.AUTH_FAIL);
            }
            assertThat(ours.count(SrtpResult.AUTH_FAIL)).isEqualTo(3);
            assertThat(ours.receiveStreams()).as("no state kept for a stream that never authenticated").isZero();
            assertThat(unprotect(ours, wire, p)).as("the genuine packet still passes").isEqualTo(SrtpResult.OK);
            assertThat(bytes(p)).isEqualTo(plain);

            byte[] rtcp = rtcpReceiverReport(SSRC);
            p.set(rtcp, 0, rtcp.length);
            assertThat(jitsi.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            byte[] badRtcp = bytes(p);
            badRtcp[10] ^= 0x40;
            p.set(badRtcp, 0, badRtcp.length);
            assertThat(ours.unprotectRtcp(p)).isEqualTo(SrtpResult.AUTH_FAIL);
            assertThat(ours.count(SrtpResult.AUTH_FAIL)).isEqualTo(4);

            // And jitsi refuses what we tampered with.
            p.set(plain, 0, plain.length);
            assertThat(ours.protectRtp(p)).isEqualTo(SrtpResult.OK);
            p.getBuffer()[p.getOffset() + p.getLength() - 1] ^= 0x01;
            assertThat(jitsi.unprotectRtp(p)).isEqualTo(SrtpResult.AUTH_FAIL);
        }
    }

    private static SrtpResult unprotect(SrtpSession session, byte[] wire, PacketBuffer p) {
        p.set(wire, 0, wire.length);
        return session.unprotectRtp(p);
    }

    private static byte[] bytes(PacketBuffer p) {
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }
}
