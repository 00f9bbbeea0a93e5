package io.sfufleet.console.node;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * HTTPS to nodes whose certificates the site CA signed: the JDK's system CAs plus the site's own
 * roots, one PKIX trust manager over both. Host name verification is OkHttp's and stays on (the
 * node certificate must name the address in the API URL).
 */
public final class SiteTrust {
    private SiteTrust() {
    }

    /** A trust manager for the system CAs and {@code extraRoots}. */
    public static X509TrustManager trustManager(Collection<X509Certificate> extraRoots) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            int i = 0;
            for (X509Certificate c : x509(system.getTrustManagers()).getAcceptedIssuers()) {
                roots.setCertificateEntry("system-" + i++, c);
            }
            for (X509Certificate c : extraRoots) {
                roots.setCertificateEntry("site-" + i++, c);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(roots);
            return x509(f.getTrustManagers());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the console's trust store: " + e.getMessage(), e);
        }
    }

    /**
     * {@code base} (its dispatcher, pool and timeouts) trusting the system CAs plus {@code extraRoots};
     * {@code base} itself when there are none.
     */
    public static OkHttpClient trusting(OkHttpClient base, Collection<X509Certificate> extraRoots) {
        if (extraRoots.isEmpty()) {
            return base;
        }
        X509TrustManager tm = trustManager(extraRoots);
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {tm}, null);
            return base.newBuilder().sslSocketFactory(ssl.getSocketFactory(), tm).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JDK offers no X509TrustManager");
    }
}
