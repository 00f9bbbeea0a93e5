package io.sfufleet.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    /** SHA-256("abc"), FIPS 180-2 appendix B.1. */
    private static final String SHA256_ABC =
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";
    /** SHA-1("abc"), FIPS 180-2 appendix A.1. */
    private static final String SHA1_ABC = "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D";

    @Test
    void hashesAndFormatsAsSdpDoes() {
        DtlsFingerprint f = DtlsFingerprint.of("sha-256", ABC);

        assertThat(f.hex()).isEqualTo(SHA256_ABC);
        assertThat(f.toSdpValue()).isEqualTo("sha-256 " + SHA256_ABC);
        assertThat(DtlsFingerprint.of("SHA-1", ABC).toSdpValue()).isEqualTo("sha-1 " + SHA1_ABC);
    }

    @Test
    void parsesCaseInsensitivelyAndMatches() {
        DtlsFingerprint parsed = DtlsFingerprint.parse("  SHA-256\t" + SHA256_ABC.toLowerCase() + " ");

        assertThat(parsed).isEqualTo(DtlsFingerprint.of("sha-256", ABC));
        assertThat(parsed.matches(ABC)).isTrue();
        assertThat(parsed.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(DtlsFingerprint.parse("sha-1 " + SHA1_ABC).matches(ABC)).isTrue();
    }

    @Test
    void supportsTheLongerHashes() {
        for (String alg : new String[] {"sha-384", "sha-512"}) {
            DtlsFingerprint f = DtlsFingerprint.of(alg, ABC);
            assertThat(DtlsFingerprint.parse(f.toSdpValue()).matches(ABC)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "sha-256",
        SHA256_ABC,
        "md5 AB:CD",
        "sha-256 BA:78:16",
        "sha-256 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        "sha-256 ZZ:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
        "sha-256 BA:78 16:BF",
    })
    void rejectsWhatIsNotAFingerprint(String value) {
        assertThatThrownBy(() -> DtlsFingerprint.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> DtlsFingerprint.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
