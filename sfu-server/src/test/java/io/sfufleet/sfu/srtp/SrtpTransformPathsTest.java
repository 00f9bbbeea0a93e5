package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.buffer;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.hex;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.keys;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.packet;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtcpReceiverReport;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.PacketBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two AES back ends of {@link SrtpSession}: OpenSSL's libcrypto (the default here) and the
 * portable Java transforms used when libcrypto is missing. Both must give the libSRTP vectors and
 * byte-identical packets, in both directions, for RTP and SRTCP, and the Java path must allocate
 * nothing either.
 */
class SrtpTransformPathsTest {
    @Test
    void openSslIsUsedOnThisMachine() {
        // Debian 12 ships libcrypto.so.3; if this fails, the node would run the slow path.
        assertThat(OpenSslAes.unavailableReason()).isNull();
        assertThat(SrtpSession.OPEN_SSL).isTrue();
    }

    @Test
    void theJavaPathGivesTheLibsrtpVectors() {
        SrtpKeyingMaterial cm = new SrtpKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                hex("e1f97a0d3e018be0d64fa32c06de4139"), hex("0ec675ad498afeebb6960b3aabe6"),
                hex("000102030405060708090a0b0c0d0e0f"), hex("0102030405060708090a0b0c0d0e"));
        try (SrtpSession client = new SrtpSession(cm, false, false)) {
            PacketBuffer p = packet(hex("800f1234decafbadcafebabeabababababababababababababababab"));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        }
        SrtpKeyingMaterial gcm = new SrtpKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                hex("000102030405060708090a0b0c0d0e0f"), hex("a0a1a2a3a4a5a6a7a8a9aaab"),
                hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), hex("0102030405060708090a0b0c"));
        try (SrtpSession client = new SrtpSession(gcm, false, false)) {
            PacketBuffer p = packet(hex("800f1234decafbadcafebabeabababababababababababababababab"));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo("800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06e"
                    + "d2976826f796b201df3131a127e8a392");
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void bothPathsMakeTheSamePacketsAndReadEachOther(SrtpProfile profile) {
        try (SrtpSession sslNode = new SrtpSession(keys(profile), true, true);
                SrtpSession javaNode = new SrtpSession(keys(profile), true, false);
                SrtpSession sslClient = new SrtpSession(keys(profile), false, true);
                SrtpSession javaClient = new SrtpSession(keys(profile), false, false)) {
            PacketBuffer a = buffer();
            PacketBuffer b = buffer();
            for (int i = 0; i < 300; i++) {
                int seq = (65_400 + i) & 0xFFFF; // across the ROC wrap
                byte[] plain = rtp(seq, 0x0a0b0c0d, i * 7 % 1300);
                a.set(plain, 0, plain.length);
                b.set(plain, 0, plain.length);
                assertThat(sslNode.protectRtp(a)).isEqualTo(SrtpResult.OK);
                assertThat(javaNode.protectRtp(b)).isEqualTo(SrtpResult.OK);
                assertThat(hex(a)).as("RTP %d", seq).isEqualTo(hex(b));
                assertThat(javaClient.unprotectRtp(a)).isEqualTo(SrtpResult.OK);
                assertThat(sslClient.unprotectRtp(b)).isEqualTo(SrtpResult.OK);
                assertThat(hex(a)).isEqualTo(hex(b)).isEqualTo(hex(packet(plain)));

                byte[] rtcp = Arrays.copyOf(rtcpReceiverReport(0x0a0b0c0d), 32 + 4 * (i % 20));
                rtcp[3] = (byte) (rtcp.length / 4 - 1);
                a.set(rtcp, 0, rtcp.length);
                b.set(rtcp, 0, rtcp.length);
                assertThat(sslNode.protectRtcp(a)).isEqualTo(SrtpResult.OK);
                assertThat(javaNode.protectRtcp(b)).isEqualTo(SrtpResult.OK);
                assertThat(hex(a)).as("RTCP %d", i).isEqualTo(hex(b));
                assertThat(javaClient.unprotectRtcp(a)).isEqualTo(SrtpResult.OK);
                assertThat(sslClient.unprotectRtcp(b)).isEqualTo(SrtpResult.OK);
                assertThat(hex(a)).isEqualTo(hex(b)).isEqualTo(hex(packet(rtcp)));
            }
            a.set(rtp(200, 0x0a0b0c0d, 100), 0, 112);
            assertThat(sslNode.protectRtp(a)).isEqualTo(SrtpResult.OK);
            a.getBuffer()[a.getOffset() + 40] ^= 4;
            assertThat(javaClient.unprotectRtp(a)).isEqualTo(SrtpResult.AUTH_FAIL);
        }
    }
}
