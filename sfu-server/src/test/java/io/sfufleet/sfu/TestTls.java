package io.sfufleet.sfu;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS for tests: a self-signed certificate for localhost, and a client context that trusts only it. */
public final class TestTls {
    private TestTls() {
    }

    public static SelfSignedCertificate selfSigned() throws Exception {
        return SelfSignedCertificate.builder().fqdn("localhost").build();
    }

    public static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("node", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
