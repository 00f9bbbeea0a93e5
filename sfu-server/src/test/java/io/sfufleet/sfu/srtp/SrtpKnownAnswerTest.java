package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.hex;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * Published vectors, so that a matching bug in protect and unprotect cannot hide behind a round
 * trip. They come from libSRTP's test/srtp_driver.c ({@code srtp_validate} and
 * {@code srtp_validate_gcm}), which start from a master key and salt as DTLS-SRTP does. RFC 7714
 * section 16 gives its GCM examples with session keys only, while a session always runs the RFC 3711
 * key derivation; the derivation itself is checked against RFC 3711 Appendix B.3 in
 * {@code SrtpPrimitivesTest}, and our GCM against the JDK's there.
 *
 * <p>The vector keys are placed as the DTLS client's keys: a client session then protects with
 * them and a server session unprotects with them, which also checks the direction mapping.
 */
class SrtpKnownAnswerTest {
    /** Keys for the other direction; the vectors never use them. */
    private static final byte[] UNUSED_KEY = hex("000102030405060708090a0b0c0d0e0f");

    // ---- AES128_CM_HMAC_SHA1_80 (RFC 3711 default policy; libSRTP srtp_validate) ----

    private static final byte[] CM_MASTER_KEY = hex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] CM_MASTER_SALT = hex("0ec675ad498afeebb6960b3aabe6");

    private static final String CM_RTP_PLAIN = ""
            + "80"          // V=2, P=0, X=0, CC=0
            + "0f"          // M=0, PT=15
            + "1234"        // sequence number 0x1234
            + "decafbad"    // timestamp
            + "cafebabe"    // SSRC
            + "abababababababababababababababab"; // 16-byte payload

    private static final String CM_RTP_CIPHER = ""
            + "800f1234decafbadcafebabe"         // header, authenticated but sent in clear
            + "4e55dc4ce79978d88ca4d215949d2402" // AES-CM encrypted payload
            + "b78d6acc99ea179b8dbb";            // HMAC-SHA1-80 tag over header, payload and ROC 0

    private static final String CM_RTCP_PLAIN = ""
            + "81"          // V=2, P=0, RC=1
            + "c8"          // PT=200 (SR)
            + "000b"        // length
            + "cafebabe"    // sender SSRC
            + "abababababababababababababababab"; // 16 bytes of body

    private static final String CM_RTCP_CIPHER = ""
            + "81c8000bcafebabe"                 // first 8 bytes, in clear
            + "7128035be487b9bdbef89041f977a5a8" // encrypted body
            + "80000001"                         // E=1, SRTCP index 1
            + "993e08cd54d6c1230798";            // HMAC-SHA1-80 tag

    // ---- AEAD_AES_128_GCM (RFC 7714, 16-byte tag; libSRTP srtp_validate_gcm) ----

    private static final byte[] GCM_MASTER_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_MASTER_SALT = hex("a0a1a2a3a4a5a6a7a8a9aaab"); // 12 bytes
    private static final byte[] GCM_UNUSED_KEY = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    private static final String GCM_RTP_PLAIN = CM_RTP_PLAIN; // the same packet

    private static final String GCM_RTP_CIPHER = ""
            + "800f1234decafbadcafebabe"          // header, the AEAD's associated data
            + "c5002ede04cfdd2eb91159e0880aa06e"  // encrypted payload
            + "d2976826f796b201df3131a127e8a392"; // 16-byte GCM tag

    private static final String GCM_RTCP_PLAIN = CM_RTCP_PLAIN;

    private static final String GCM_RTCP_CIPHER = ""
            + "81c8000bcafebabe"                 // first 8 bytes, associated data
            + "c98b8b5df0392a55852b6c21ac8e7025" // encrypted body
            + "c52c6fbea2b3b446ea31123ba88ce61e" // 16-byte GCM tag
            + "80000001";                        // E=1, SRTCP index 1, after the tag (RFC 7714 s. 9)

    private static SrtpKeyingMaterial cmKeys() {
        return new SrtpKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                CM_MASTER_KEY, CM_MASTER_SALT, UNUSED_KEY, hex("0102030405060708090a0b0c0d0e"));
    }

    private static SrtpKeyingMaterial gcmKeys() {
        return new SrtpKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                GCM_MASTER_KEY, GCM_MASTER_SALT, GCM_UNUSED_KEY, hex("0102030405060708090a0b0c"));
    }

    @Test
    void aesCmProtectsRtpToTheLibsrtpVector() {
        try (SrtpSession client = new SrtpSession(cmKeys(), false)) {
            PacketBuffer p = packet(hex(CM_RTP_PLAIN));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(CM_RTP_CIPHER);
        }
    }

    @Test
    void aesCmUnprotectsTheLibsrtpRtpVector() {
        try (SrtpSession server = new SrtpSession(cmKeys(), true)) {
            PacketBuffer p = packet(hex(CM_RTP_CIPHER));
            assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(CM_RTP_PLAIN);
        }
    }

    @Test
    void aesCmUnprotectsTheLibsrtpRtcpVector() {
        try (SrtpSession server = new SrtpSession(cmKeys(), true)) {
            PacketBuffer p = packet(hex(CM_RTCP_CIPHER));
            assertThat(server.unprotectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(CM_RTCP_PLAIN);
        }
    }

    @Test
    void aesCmProtectsRtcpToTheLibsrtpVector() {
        try (SrtpSession client = new SrtpSession(cmKeys(), false)) {
            // libSRTP's first SRTCP index is 1, ours (like jitsi-srtp's) is 0: spend index 0 on another packet.
            PacketBuffer first = packet(hex(CM_RTCP_PLAIN));
            assertThat(client.protectRtcp(first)).isEqualTo(SrtpResult.OK);
            assertThat(hex(first)).contains("80000000");

            PacketBuffer p = packet(hex(CM_RTCP_PLAIN));
            assertThat(client.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(CM_RTCP_CIPHER);
        }
    }

    @Test
    void gcmProtectsRtpToTheLibsrtpVector() {
        try (SrtpSession client = new SrtpSession(gcmKeys(), false)) {
            PacketBuffer p = packet(hex(GCM_RTP_PLAIN));
            assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(GCM_RTP_CIPHER);
        }
    }

    @Test
    void gcmUnprotectsTheLibsrtpRtpVector() {
        try (SrtpSession server = new SrtpSession(gcmKeys(), true)) {
            PacketBuffer p = packet(hex(GCM_RTP_CIPHER));
            assertThat(server.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(GCM_RTP_PLAIN);
        }
    }

    @Test
    void gcmUnprotectsTheLibsrtpRtcpVector() {
        try (SrtpSession server = new SrtpSession(gcmKeys(), true)) {
            PacketBuffer p = packet(hex(GCM_RTCP_CIPHER));
            assertThat(server.unprotectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(GCM_RTCP_PLAIN);
        }
    }

    @Test
    void gcmProtectsRtcpToTheLibsrtpVector() {
        try (SrtpSession client = new SrtpSession(gcmKeys(), false)) {
            PacketBuffer first = packet(hex(GCM_RTCP_PLAIN));
            assertThat(client.protectRtcp(first)).isEqualTo(SrtpResult.OK);
            assertThat(hex(first)).endsWith("80000000");

            PacketBuffer p = packet(hex(GCM_RTCP_PLAIN));
            assertThat(client.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(hex(p)).isEqualTo(GCM_RTCP_CIPHER);
        }
    }

    @Test
    void theVectorKeysDoNotWorkInTheOtherDirection() {
        // A client session unprotects with the server's keys, so the client-keyed vector must fail.
        try (SrtpSession client = new SrtpSession(cmKeys(), false)) {
            assertThat(client.unprotectRtp(packet(hex(CM_RTP_CIPHER)))).isEqualTo(SrtpResult.AUTH_FAIL);
        }
        try (SrtpSession client = new SrtpSession(gcmKeys(), false)) {
            assertThat(client.unprotectRtp(packet(hex(GCM_RTP_CIPHER)))).isEqualTo(SrtpResult.AUTH_FAIL);
        }
    }
}
