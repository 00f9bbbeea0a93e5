package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The building blocks against RFC 3711 Appendix B and against the JDK's own AES/CTR, AES/GCM and
 * HmacSHA1 on random input, so that a fault in one of them shows here and not only as a failed
 * round trip.
 */
class SrtpPrimitivesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aesCounterModeKeystreamIsRfc3711AppendixB2() {
        AesCounterMode aes = new AesCounterMode(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        aes.generate(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), 48);
        byte[] ks = new byte[48];
        aes.copy(0, ks, 0, 48);
        assertThat(HEX.formatHex(ks)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
    }

    @Test
    void keyDerivationIsRfc3711AppendixB3() {
        SrtpKdf kdf = new SrtpKdf(hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"));
        assertThat(HEX.formatHex(kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16)))
                .isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(HEX.formatHex(kdf.derive(SrtpKdf.RTP_SALT, 14)))
                .isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(HEX.formatHex(kdf.derive(SrtpKdf.RTP_AUTHENTICATION, 20)))
                .isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    @Test
    void counterModeMatchesTheJdksAesCtr() throws Exception {
        Random random = new Random(3711);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesCounterMode ours = new AesCounterMode(key);
        Cipher jdk = Cipher.getInstance("AES/CTR/NoPadding");
        for (int n : new int[] {0, 1, 15, 16, 17, 160, 1200, 1500, AesCounterMode.MAX_BYTES}) {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            iv[12] = 0; // well away from a 32-bit wrap, where GCM's inc32 and the JDK's 128-bit counter differ
            byte[] data = new byte[n];
            random.nextBytes(data);
            byte[] expected = data.clone();
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            expected = jdk.doFinal(expected);
            byte[] got = new byte[n + 5];
            System.arraycopy(data, 0, got, 5, n);
            ours.generate(iv, n);
            ours.xor(0, got, 5, n);
            assertThat(java.util.Arrays.copyOfRange(got, 5, 5 + n)).as("%d bytes", n).isEqualTo(expected);
        }
    }

    @Test
    void hmacSha1MatchesTheJdksMac() throws Exception {
        Random random = new Random(2104);
        byte[] key = new byte[20];
        random.nextBytes(key);
        HmacSha1 ours = new HmacSha1(key);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        for (int n : new int[] {0, 1, 55, 64, 172, 1212}) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            ours.start();
            ours.update(data, 0, n / 2);
            ours.update(data, n / 2, n - n / 2);
            byte[] mac = new byte[22];
            ours.finish(mac, 1);
            assertThat(java.util.Arrays.copyOfRange(mac, 1, 21)).as("%d bytes", n).isEqualTo(jdk.doFinal(data));
        }
    }

    @Test
    void ghashGivesTheJdksGcmTags() throws Exception {
        Random random = new Random(7714);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesCounterMode aes = new AesCounterMode(key);
        aes.generate(new byte[16], 16);
        byte[] h = new byte[16];
        aes.copy(0, h, 0, 16);
        Ghash ghash = new Ghash(h);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        int[][] cases = {{12, 160}, {8, 0}, {12, 1}, {16, 16}, {12, 17}, {44, 1200}, {0, 33}, {13, 1500}};
        for (int[] c : cases) {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            byte[] aad = new byte[c[0]];
            byte[] text = new byte[c[1]];
            random.nextBytes(aad);
            random.nextBytes(text);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(aad);
            byte[] sealed = jdk.doFinal(text);

            byte[] j0 = java.util.Arrays.copyOf(iv, 16);
            j0[15] = 1;
            aes.generate(j0, 16 + text.length);
            byte[] mine = text.clone();
            aes.xor(16, mine, 0, mine.length);
            byte[] tag = new byte[16];
            aes.copy(0, tag, 0, 16);
            ghash.reset();
            // The AAD in two pieces, as SRTCP hands it over.
            ghash.update(aad, 0, aad.length / 2);
            ghash.update(aad, aad.length / 2, aad.length - aad.length / 2);
            ghash.endPart();
            ghash.update(mine, 0, mine.length);
            ghash.updateLengths(aad.length, mine.length);
            ghash.xorInto(tag, 0);
            assertThat(java.util.Arrays.copyOf(sealed, text.length)).as("ciphertext %s", java.util.Arrays.toString(c))
                    .isEqualTo(mine);
            assertThat(java.util.Arrays.copyOfRange(sealed, text.length, sealed.length)).as("tag %s",
                    java.util.Arrays.toString(c)).isEqualTo(tag);
        }
    }
}
