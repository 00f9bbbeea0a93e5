package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.buffer;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.keys;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.packet;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtcpReceiverReport;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.PacketBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour of {@link SrtpSession}: round trips, tampering, replay, malformed input, lifecycle. */
class SrtpSessionTest {
    private static final int SSRC = 0x11223344;

    private SrtpSession server;
    private SrtpSession client;

    private void open(SrtpProfile profile) {
        SrtpKeyingMaterial keys = keys(profile);
        server = new SrtpSession(keys, true);
        client = new SrtpSession(keys, false);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static Stream<Arguments> profilesDirectionsSizes() {
        return Stream.of(SrtpProfile.values()).flatMap(p -> Stream.of(true, false).flatMap(
                serverSends -> Stream.of(160, 1200).map(size -> Arguments.of(p, serverSends, size))));
    }

    private static int tagLength(SrtpProfile profile) {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
    }

    @ParameterizedTest(name = "{0} serverSends={1} payload={2}")
    @MethodSource("profilesDirectionsSizes")
    void rtpRoundTrip(SrtpProfile profile, boolean serverSends, int payload) {
        open(profile);
        SrtpSession sender = serverSends ? server : client;
        SrtpSession receiver = serverSends ? client : server;
        // Start just below the 16-bit wrap so the rollover counter has to advance on both sides.
        for (int i = 0; i < 20; i++) {
            int seq = (65_530 + i) & 0xFFFF;
            byte[] plain = rtp(seq, SSRC, payload);
            PacketBuffer p = packet(plain);

            assertThat(sender.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(p.getLength()).isEqualTo(plain.length + tagLength(profile));
            assertThat(Arrays.copyOfRange(p.getBuffer(), 12, plain.length))
                    .as("payload is encrypted").isNotEqualTo(Arrays.copyOfRange(plain, 12, plain.length));
            assertThat(Arrays.copyOf(p.getBuffer(), 12)).as("header stays clear").isEqualTo(Arrays.copyOf(plain, 12));

            assertThat(receiver.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(Arrays.copyOf(p.getBuffer(), p.getLength())).isEqualTo(plain);
        }
    }

    @ParameterizedTest(name = "{0} serverSends={1}")
    @MethodSource("profilesAndDirections")
    void rtcpRoundTrip(SrtpProfile profile, boolean serverSends) {
        open(profile);
        SrtpSession sender = serverSends ? server : client;
        SrtpSession receiver = serverSends ? client : server;
        for (int i = 0; i < 5; i++) {
            byte[] plain = rtcpReceiverReport(SSRC);
            PacketBuffer p = packet(plain);
            assertThat(sender.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(p.getLength()).isEqualTo(plain.length + 4 + tagLength(profile));
            assertThat(receiver.unprotectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(Arrays.copyOf(p.getBuffer(), p.getLength())).isEqualTo(plain);
        }
    }

    static Stream<Arguments> profilesAndDirections() {
        return Stream.of(SrtpProfile.values()).flatMap(p -> Stream.of(Arguments.of(p, true), Arguments.of(p, false)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void worksAtANonZeroOffset(SrtpProfile profile) {
        open(profile);
        byte[] plain = rtp(7, SSRC, 160);
        PacketBuffer p = buffer();
        System.arraycopy(plain, 0, p.getBuffer(), 40, plain.length);
        p.setOffset(40);
        p.setLength(plain.length);
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(p.getOffset()).isEqualTo(40);
        assertThat(Arrays.copyOfRange(p.getBuffer(), 40, 40 + p.getLength())).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void separateSsrcsHaveSeparateContexts(SrtpProfile profile) {
        open(profile);
        // Same sequence number on two SSRCs: neither is a replay of the other.
        for (int ssrc : new int[] {1, 2, 0xFFFFFFFF}) {
            PacketBuffer p = packet(rtp(100, ssrc, 160));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        }
        assertThat(server.receiveStreams()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTamperedByteFailsAuthenticationAndTheOriginalStillPasses(SrtpProfile profile) {
        open(profile);
        byte[] plain = rtp(1, SSRC, 160);
        PacketBuffer protectedPacket = packet(plain);
        assertThat(client.protectRtp(protectedPacket)).isEqualTo(SrtpResult.OK);
        byte[] wire = Arrays.copyOf(protectedPacket.getBuffer(), protectedPacket.getLength());

        // Skip byte 0 (its version bits make the packet INVALID, tested below) and the SSRC (a
        // different SSRC is a different, unauthenticated stream, still AUTH_FAIL but tested apart).
        for (int i = 1; i < wire.length; i++) {
            if (i >= 8 && i < 12) {
                continue;
            }
            byte[] tampered = wire.clone();
            tampered[i] ^= 0x01;
            PacketBuffer p = packet(tampered);
            assertThat(server.unprotectRtp(p)).as("flipped bit in byte %d", i).isEqualTo(SrtpResult.AUTH_FAIL);
        }
        // A tampered copy must not have advanced the replay window or poisoned the context.
        PacketBuffer p = packet(wire);
        assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(Arrays.copyOf(p.getBuffer(), p.getLength())).isEqualTo(plain);
        assertThat(server.count(SrtpResult.AUTH_FAIL)).isEqualTo(wire.length - 1 - 4);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedRtcpFailsAuthentication(SrtpProfile profile) {
        open(profile);
        PacketBuffer p = packet(rtcpReceiverReport(SSRC));
        assertThat(client.protectRtcp(p)).isEqualTo(SrtpResult.OK);
        byte[] wire = Arrays.copyOf(p.getBuffer(), p.getLength());
        for (int i : new int[] {1, 9, wire.length - 12, wire.length - 1}) {
            byte[] tampered = wire.clone();
            tampered[i] ^= 0x40;
            assertThat(server.unprotectRtcp(packet(tampered))).as("byte %d", i).isEqualTo(SrtpResult.AUTH_FAIL);
        }
        assertThat(server.unprotectRtcp(packet(wire))).isEqualTo(SrtpResult.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedSsrcLeavesNoContextBehind(SrtpProfile profile) {
        open(profile);
        PacketBuffer p = packet(rtp(1, SSRC, 160));
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        p.getBuffer()[11] ^= 0x01; // another SSRC, so the tag no longer matches
        assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.AUTH_FAIL);

        PacketBuffer r = packet(rtcpReceiverReport(SSRC));
        assertThat(client.protectRtcp(r)).isEqualTo(SrtpResult.OK);
        r.getBuffer()[7] ^= 0x01;
        assertThat(server.unprotectRtcp(r)).isEqualTo(SrtpResult.AUTH_FAIL);

        assertThat(server.receiveStreams()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedRtpPacketIsRefused(SrtpProfile profile) {
        open(profile);
        PacketBuffer p = packet(rtp(500, SSRC, 160));
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        byte[] wire = Arrays.copyOf(p.getBuffer(), p.getLength());

        assertThat(server.unprotectRtp(packet(wire))).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(packet(wire))).isEqualTo(SrtpResult.REPLAY);
        assertThat(server.count(SrtpResult.REPLAY)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderingInsideTheWindowIsAcceptedAndTooOldIsRefused(SrtpProfile profile) {
        open(profile);
        byte[][] wire = new byte[101][];
        for (int seq = 0; seq <= 100; seq++) {
            PacketBuffer p = packet(rtp(seq, SSRC, 160));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            wire[seq] = Arrays.copyOf(p.getBuffer(), p.getLength());
        }
        assertThat(server.unprotectRtp(packet(wire[0]))).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(packet(wire[100]))).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(packet(wire[90]))).as("late but inside the 64-packet window").isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(packet(wire[90]))).isEqualTo(SrtpResult.REPLAY);
        assertThat(server.unprotectRtp(packet(wire[30]))).as("behind the window").isEqualTo(SrtpResult.REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedRtcpPacketIsRefused(SrtpProfile profile) {
        open(profile);
        PacketBuffer p = packet(rtcpReceiverReport(SSRC));
        assertThat(client.protectRtcp(p)).isEqualTo(SrtpResult.OK);
        byte[] wire = Arrays.copyOf(p.getBuffer(), p.getLength());
        assertThat(server.unprotectRtcp(packet(wire))).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtcp(packet(wire))).isEqualTo(SrtpResult.REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectingTheSameSequenceNumberTwiceGivesTheSameBytes(SrtpProfile profile) {
        // An SFU answering a NACK without RTX sends the packet again under the same sequence number.
        open(profile);
        byte[] plain = rtp(42, SSRC, 160);
        PacketBuffer first = packet(plain);
        PacketBuffer again = packet(plain);
        assertThat(server.protectRtp(first)).isEqualTo(SrtpResult.OK);
        assertThat(server.protectRtp(again)).isEqualTo(SrtpResult.OK);
        assertThat(SrtpTestSupport.hex(again)).isEqualTo(SrtpTestSupport.hex(first));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTruncationOfAPacketIsInvalidOrAuthFailWithoutException(SrtpProfile profile) {
        open(profile);
        PacketBuffer p = packet(rtp(9, SSRC, 160));
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        byte[] wire = Arrays.copyOf(p.getBuffer(), p.getLength());
        int tag = tagLength(profile);
        for (int len = 0; len < wire.length; len++) {
            SrtpResult r = server.unprotectRtp(buffer().set(wire, 0, len));
            if (len < 12 + tag) {
                assertThat(r).as("length %d", len).isEqualTo(SrtpResult.INVALID);
            } else {
                assertThat(r).as("length %d", len).isEqualTo(SrtpResult.AUTH_FAIL);
            }
        }

        PacketBuffer c = packet(rtcpReceiverReport(SSRC));
        assertThat(client.protectRtcp(c)).isEqualTo(SrtpResult.OK);
        byte[] rtcp = Arrays.copyOf(c.getBuffer(), c.getLength());
        for (int len = 0; len < rtcp.length; len++) {
            SrtpResult r = server.unprotectRtcp(buffer().set(rtcp, 0, len));
            assertThat(r).as("RTCP length %d", len).isIn(SrtpResult.INVALID, SrtpResult.AUTH_FAIL);
            if (len < 8 + 4 + tag) {
                assertThat(r).as("RTCP length %d", len).isEqualTo(SrtpResult.INVALID);
            }
        }
        assertThat(server.receiveStreams()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void malformedHeadersAreInvalid(SrtpProfile profile) {
        open(profile);
        byte[] versionOne = rtp(1, SSRC, 160);
        versionOne[0] = 0x40;
        assertThat(server.unprotectRtp(packet(versionOne))).isEqualTo(SrtpResult.INVALID);
        assertThat(client.protectRtp(packet(versionOne))).isEqualTo(SrtpResult.INVALID);

        byte[] tooManyCsrcs = rtp(1, SSRC, 40);
        tooManyCsrcs[0] = (byte) 0x8F; // 15 CSRCs = 60 bytes, more than the packet holds
        assertThat(server.unprotectRtp(packet(tooManyCsrcs))).isEqualTo(SrtpResult.INVALID);
        assertThat(client.protectRtp(packet(tooManyCsrcs))).isEqualTo(SrtpResult.INVALID);

        byte[] hugeExtension = rtp(1, SSRC, 40);
        hugeExtension[0] = (byte) 0x90; // X=1
        hugeExtension[14] = (byte) 0xFF; // extension length 0xFFFF words
        hugeExtension[15] = (byte) 0xFF;
        assertThat(server.unprotectRtp(packet(hugeExtension))).isEqualTo(SrtpResult.INVALID);
        assertThat(client.protectRtp(packet(hugeExtension))).isEqualTo(SrtpResult.INVALID);

        byte[] shortRtcp = {(byte) 0x80, (byte) 200, 0, 0};
        assertThat(client.protectRtcp(packet(shortRtcp))).isEqualTo(SrtpResult.INVALID);
        assertThat(server.unprotectRtcp(packet(shortRtcp))).isEqualTo(SrtpResult.INVALID);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomGarbageNeverThrowsAndNeverPasses(SrtpProfile profile) {
        open(profile);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(0, 300)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = (byte) (0x80 | (garbage[0] & 0x3F)); // get past the version check
            }
            assertThat(server.unprotectRtp(packet(garbage))).isIn(SrtpResult.INVALID, SrtpResult.AUTH_FAIL);
            assertThat(server.unprotectRtcp(packet(garbage))).isIn(SrtpResult.INVALID, SrtpResult.AUTH_FAIL);
        }
        assertThat(server.receiveStreams()).isZero();
        assertThat(server.count(SrtpResult.FAIL)).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPacketWithoutRoomForItsTagIsInvalid(SrtpProfile profile) {
        open(profile);
        PacketBuffer full = buffer();
        int len = full.capacity() - tagLength(profile) + 1;
        byte[] plain = rtp(3, SSRC, len - 12);
        full.set(plain, 0, plain.length);
        assertThat(client.protectRtp(full)).isEqualTo(SrtpResult.INVALID);
        assertThat(full.getLength()).isEqualTo(plain.length);

        PacketBuffer fits = buffer();
        byte[] exact = rtp(4, SSRC, full.capacity() - tagLength(profile) - 12);
        fits.set(exact, 0, exact.length);
        assertThat(client.protectRtp(fits)).isEqualTo(SrtpResult.OK);
        assertThat(fits.getLength()).isEqualTo(fits.capacity());
        assertThat(server.unprotectRtp(fits)).isEqualTo(SrtpResult.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sessionsWithDifferentKeysCannotTalk(SrtpProfile profile) {
        open(profile);
        byte[] other = new byte[2 * (profile.keyLength + profile.saltLength)];
        Arrays.fill(other, (byte) 0x33);
        try (SrtpSession stranger = new SrtpSession(SrtpKeyingMaterial.fromExporter(profile, other), false)) {
            PacketBuffer p = packet(rtp(1, SSRC, 160));
            assertThat(stranger.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.AUTH_FAIL);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void twoClientsOrTwoServersCannotTalk(SrtpProfile profile) {
        // Both sides claiming the same DTLS role would each send with keys the other does not receive with.
        SrtpKeyingMaterial keys = keys(profile);
        try (SrtpSession a = new SrtpSession(keys, true); SrtpSession b = new SrtpSession(keys, true)) {
            PacketBuffer p = packet(rtp(1, SSRC, 160));
            assertThat(a.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(b.unprotectRtp(p)).isEqualTo(SrtpResult.AUTH_FAIL);
        }
    }

    @Test
    void theNumberOfReceiveStreamsIsCapped() {
        open(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_RECEIVE_STREAMS; ssrc++) {
            PacketBuffer p = packet(rtp(1, ssrc, 20));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        }
        PacketBuffer p = packet(rtp(1, 100_000, 20));
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.INVALID);
        assertThat(server.receiveStreams()).isEqualTo(SrtpSession.MAX_RECEIVE_STREAMS);

        // Known SSRCs keep working.
        PacketBuffer known = packet(rtp(2, 1, 20));
        assertThat(client.protectRtp(known)).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(known)).isEqualTo(SrtpResult.OK);
    }

    @Test
    void aClosedSessionRefusesEverything() {
        open(SrtpProfile.AEAD_AES_128_GCM);
        PacketBuffer p = packet(rtp(1, SSRC, 160));
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(server.unprotectRtp(packet(Arrays.copyOf(p.getBuffer(), p.getLength())))).isEqualTo(SrtpResult.OK);
        server.close();
        server.close(); // idempotent
        assertThat(server.receiveStreams()).isZero();
        assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.CLOSED);
        assertThat(server.protectRtp(packet(rtp(2, SSRC, 160)))).isEqualTo(SrtpResult.CLOSED);
        assertThat(server.protectRtcp(packet(rtcpReceiverReport(SSRC)))).isEqualTo(SrtpResult.CLOSED);
        assertThat(server.unprotectRtcp(packet(rtcpReceiverReport(SSRC)))).isEqualTo(SrtpResult.CLOSED);
        assertThat(server.count(SrtpResult.CLOSED)).isEqualTo(4);
    }

    @Test
    void closingDoesNotWipeTheCallersKeys() {
        SrtpKeyingMaterial keys = keys(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        byte[] before = keys.serverKey().clone();
        new SrtpSession(keys, true).close();
        assertThat(keys.serverKey()).isEqualTo(before);
    }
}
