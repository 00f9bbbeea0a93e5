package io.sfufleet.sfu.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;

import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** A WebRTC-like DTLS client: its own ECDSA certificate, use_srtp with the given profile ids (or none). */
final class DtlsTestClient extends DefaultTlsClient {
    private final DtlsCertificate certificate;
    private final int[] offeredProfiles;
    final CountDownLatch closeNotifyReceived = new CountDownLatch(1);
    volatile byte[] serverCertificate;
    volatile SrtpKeyingMaterial keys;
    private SrtpProfile selectedProfile;
    private int[] cipherSuites;
    private boolean encryptThenMac = true;

    DtlsTestClient(DtlsCertificate certificate, int... offeredProfiles) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.certificate = certificate;
        this.offeredProfiles = offeredProfiles;
    }

    /** Offers only these suites instead of BouncyCastle's defaults. */
    DtlsTestClient withCipherSuites(int... suites) {
        this.cipherSuites = suites;
        return this;
    }

    /** Does not offer encrypt_then_mac, like BoringSSL (Chrome) and NSS (Firefox). */
    DtlsTestClient withoutEncryptThenMac() {
        this.encryptThenMac = false;
        return this;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return cipherSuites != null ? cipherSuites.clone() : super.getSupportedCipherSuites();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 5_000;
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        if (!encryptThenMac) {
            extensions.remove(TlsExtensionsUtils.EXT_encrypt_then_mac);
        }
        if (offeredProfiles.length > 0) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        selectedProfile = SrtpProfile.byId(selected.getProtectionProfiles()[0]);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        SrtpProfile profile = selectedProfile;
        keys = SrtpKeyingMaterial.fromExporter(profile,
                context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (profile.keyLength + profile.saltLength)));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived.countDown();
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                serverCertificate = server.getCertificate().getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return certificate.signer(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }
}
