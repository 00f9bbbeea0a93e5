package io.sfufleet.sfu.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.call.ForwardingFixture;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RTP padding is encrypted (RFC 3711 section 3.1): on the wire the last byte of an SRTP packet is
 * the auth tag's, not the padding count, so the padding can only be checked after unprotect.
 * Found by {@code RtpFuzzTest.browserPacketsThroughTheNode}: checking it before dropped most
 * padded packets (Chrome pads video for bandwidth probing).
 */
class PaddedRtpTest {
    private static final int PACKETS = 50;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void paddedPacketsAreForwarded(SrtpProfile profile) {
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(1).profile(profile).build()) {
            PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
            for (int seq = 1; seq <= PACKETS; seq++) {
                ForwardingFixture.writeRtp(p, ForwardingFixture.VIDEO_PT, seq, 3000L * seq, ForwardingFixture.VIDEO_SSRC, 1);
                byte[] b = p.getBuffer();
                b[0] |= 0x20;                      // P: padding present
                int len = p.getLength();
                b[len] = 0;                        // two bytes of padding...
                b[len + 1] = 0;
                b[len + 2] = 3;                    // ...and the count byte, which counts itself
                p.setLength(len + 3);
                assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);

                f.publisherTransport().onSrtp(p);
            }

            assertThat(f.drops().count(DropReason.RTP_MALFORMED)).isZero();
            assertThat(f.sink().toReceiver(0)).isEqualTo(PACKETS);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void paddingLongerThanThePacketIsDroppedAfterDecryption(SrtpProfile profile) {
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(1).profile(profile).build()) {
            PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
            ForwardingFixture.writeRtp(p, ForwardingFixture.VIDEO_PT, 1, 3000, ForwardingFixture.VIDEO_SSRC, 4);
            p.getBuffer()[0] |= 0x20;                        // P set...
            p.getBuffer()[p.getLength() - 1] = (byte) 200;   // ...and a count beyond the 16-byte packet
            assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);

            f.publisherTransport().onSrtp(p);

            assertThat(f.drops().count(DropReason.RTP_MALFORMED)).isEqualTo(1);
            assertThat(f.sink().toReceiver(0)).isZero();
        }
    }
}
