package io.sfufleet.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static final String SDP_SHA256 = "^([0-9A-F]{2}:){31}[0-9A-F]{2}$";

    @Test
    void fingerprintIsUpperCaseColonSeparatedSha256OfTheDer() {
        DtlsCertificate cert = DtlsCertificate.generate();

        assertThat(cert.fingerprintSha256()).matches(SDP_SHA256);
        assertThat(cert.fingerprintSha256()).isEqualTo(DtlsFingerprint.of("sha-256", cert.encoded()).hex());
        assertThat(DtlsFingerprint.parse("sha-256 " + cert.fingerprintSha256()).matches(cert.encoded())).isTrue();
    }

    @Test
    void isASelfSignedP256CertificateValidFromYesterdayForThirtyDays() throws Exception {
        Instant before = Instant.now();
        DtlsCertificate cert = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.encoded()));

        x509.verify(x509.getPublicKey()); // throws unless self-signed with its own key
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=sfu-fleet");
        assertThat(x509.getSerialNumber().signum()).isPositive();
        assertThat(x509.getNotBefore().toInstant()).isBefore(before.minus(Duration.ofHours(23)));
        assertThat(x509.getNotAfter().toInstant()).isAfter(before.plus(Duration.ofDays(29)));
        x509.checkValidity();
    }

    @Test
    void everyCertificateIsNew() {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();

        assertThat(a.fingerprintSha256()).isNotEqualTo(b.fingerprintSha256());
    }

    @Test
    void encodedReturnsACopy() {
        DtlsCertificate cert = DtlsCertificate.generate();
        byte[] der = cert.encoded();
        der[0] ^= 1;

        assertThat(cert.encoded()).isNotEqualTo(der);
    }
}
