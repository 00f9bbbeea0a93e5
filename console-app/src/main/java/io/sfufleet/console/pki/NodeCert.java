package io.sfufleet.console.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * A node certificate the site CA issued, as recorded (its key stays sealed in the store).
 *
 * @param pushedAtMillis when it was last pushed and the node answered with it; null while it was
 *                       never installed
 */
public record NodeCert(long id, String host, String serial, SubjectNames names, Instant notBefore, Instant notAfter,
        String sha256, String certificatePem, long issuedAtMillis, Long pushedAtMillis) {

    public X509Certificate certificate() {
        return Certificates.readCertificate(certificatePem);
    }

    /** Whole days left at {@code now}; negative once expired. */
    public long daysLeft(Instant now) {
        Duration left = Duration.between(now, notAfter);
        return left.isNegative() ? -Duration.between(notAfter, now).toDays() - 1 : left.toDays();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(notAfter);
    }
}
