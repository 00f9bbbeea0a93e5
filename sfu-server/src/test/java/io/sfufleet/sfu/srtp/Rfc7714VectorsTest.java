package io.sfufleet.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7714 section 16.1.1: AEAD_AES_128_GCM protecting one RTP packet, from the session key and
 * salt (the vectors skip the key derivation), on both transform paths: OpenSSL and portable Java.
 */
class Rfc7714VectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    /** "Quid pro quo". */
    private static final byte[] SALT = HEX.parseHex("517569642070726f2071756f");
    private static final int SSRC = 0x5501a0b2;
    private static final long INDEX = 0xf17b; // rollover counter 0, sequence number 0xf17b
    /** 12-byte header, then "Gallia est omnis divisa in partes tres". */
    private static final byte[] PLAIN = HEX.parseHex("8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e697320646976697361"
            + "20696e207061727465732074726573");
    /** The header in the clear, the encrypted payload, then the 16-byte tag. */
    private static final byte[] PROTECTED = HEX.parseHex("8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce");

    private static SrtpCrypto.Gcm gcm(boolean openSsl) {
        return new SrtpCrypto.Gcm(KEY.clone(), SALT.clone(), KEY.clone(), SALT.clone(), openSsl);
    }

    @ParameterizedTest(name = "openSsl={0}")
    @ValueSource(booleans = {true, false})
    void protectsTheRtpPacketToTheRfcVector(boolean openSsl) {
        SrtpCrypto.Gcm g = gcm(openSsl);
        try {
            byte[] buf = new byte[PROTECTED.length + 8];
            System.arraycopy(PLAIN, 0, buf, 4, PLAIN.length);
            int len = g.protectRtp(buf, 4, PLAIN.length, 12, SSRC, INDEX);
            assertThat(len).isEqualTo(PROTECTED.length);
            assertThat(HEX.formatHex(buf, 4, 4 + len)).isEqualTo(HEX.formatHex(PROTECTED));
        } finally {
            g.close();
        }
    }

    @ParameterizedTest(name = "openSsl={0}")
    @ValueSource(booleans = {true, false})
    void unprotectsTheRfcVectorAndRefusesItTampered(boolean openSsl) {
        SrtpCrypto.Gcm g = gcm(openSsl);
        try {
            byte[] buf = PROTECTED.clone();
            assertThat(g.unprotectRtp(buf, 0, buf.length, 12, SSRC, INDEX)).isEqualTo(PLAIN.length);
            assertThat(HEX.formatHex(buf, 0, PLAIN.length)).isEqualTo(HEX.formatHex(PLAIN));

            byte[] tampered = PROTECTED.clone();
            tampered[5] ^= 1; // the timestamp is authenticated, though sent in the clear
            assertThat(g.unprotectRtp(tampered, 0, tampered.length, 12, SSRC, INDEX)).isEqualTo(-1);
            byte[] wrongIndex = PROTECTED.clone();
            assertThat(g.unprotectRtp(wrongIndex, 0, wrongIndex.length, 12, SSRC, INDEX + 0x10000)).isEqualTo(-1);
        } finally {
            g.close();
        }
    }
}
