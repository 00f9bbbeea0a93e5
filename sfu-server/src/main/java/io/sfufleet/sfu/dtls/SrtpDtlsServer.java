package io.sfufleet.sfu.dtls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Vector;

import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's server policy for WebRTC: DTLS 1.2 only, ECDHE_ECDSA suites only, use_srtp
 * required, a client certificate required and checked against the SDP fingerprint. One per
 * handshake; used only on the session's thread, except {@link #peerSentCloseNotify()}.
 */
final class SrtpDtlsServer extends DefaultTlsServer {
    private static final System.Logger LOG = System.getLogger(SrtpDtlsServer.class.getName());

    /**
     * Our key is ECDSA, so only ECDHE_ECDSA suites can work; left to itself BouncyCastle may pick
     * an RSA suite it has no key for. Our order wins ({@link #preferLocalCipherSuites()}).
     */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final DtlsCertificate certificate;
    private final DtlsFingerprint expectedPeerFingerprint;
    private final int handshakeTimeoutMillis;
    private final String sessionName;
    private volatile boolean peerSentCloseNotify;
    private SrtpProfile selectedProfile;
    private SrtpKeyingMaterial keys;
    private RecordGuard recordGuard;

    SrtpDtlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expectedPeerFingerprint,
                   int handshakeTimeoutMillis, String sessionName) {
        super(crypto);
        this.certificate = certificate;
        this.expectedPeerFingerprint = expectedPeerFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.sessionName = sessionName;
    }

    /** Set once the handshake has completed; null before. */
    SrtpKeyingMaterial keys() {
        return keys;
    }

    /** Set once the handshake has completed; null before. */
    RecordGuard recordGuard() {
        return recordGuard;
    }

    boolean peerSentCloseNotify() {
        return peerSentCloseNotify;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return CIPHER_SUITES.clone();
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        selectedProfile = choose(offered.getProtectionProfiles());
        if (selectedProfile == null) {
            // RFC 5764 would let us continue without SRTP, but WebRTC media cannot flow without it.
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
        }
    }

    /** The first of our profiles (most preferred first) that the client offers. */
    private static SrtpProfile choose(int[] offered) {
        for (SrtpProfile ours : SrtpProfile.values()) {
            for (int id : offered) {
                if (id == ours.id) {
                    return ours;
                }
            }
        }
        return null;
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // An empty MKI: we do not use MKIs in SRTP.
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selectedProfile.id}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return certificate.signer(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(), signatureAlgorithm());
    }

    /** ecdsa_secp256r1_sha256 if the client takes it (browsers do), else the client's first ECDSA choice. */
    private SignatureAndHashAlgorithm signatureAlgorithm() throws TlsFatalAlert {
        Vector clientAlgorithms = context.getSecurityParametersHandshake().getClientSigAlgs();
        if (clientAlgorithms.contains(ECDSA_SHA256)) {
            return ECDSA_SHA256;
        }
        for (Object o : clientAlgorithms) {
            if (o instanceof SignatureAndHashAlgorithm a && a.getSignature() == SignatureAlgorithm.ecdsa) {
                return a;
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "client accepts no ECDSA signature");
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // WebRTC peers always send a (self-signed) certificate: it is what the SDP fingerprint authenticates.
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client sent no certificate");
        }
        // Only the end-entity certificate counts: the fingerprint is all that binds the DTLS peer to the SDP.
        if (!expectedPeerFingerprint.matches(clientCertificate.getCertificateAt(0).getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "client certificate does not match the SDP fingerprint " + expectedPeerFingerprint.algorithm());
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        int length = 2 * (selectedProfile.keyLength + selectedProfile.saltLength);
        keys = SrtpKeyingMaterial.fromExporter(selectedProfile,
                context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, length));
        SecurityParameters negotiated = context.getSecurityParametersConnection();
        recordGuard = RecordGuard.forSuite(negotiated.getCipherSuite(), negotiated.isEncryptThenMAC());
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        LOG.log(Level.DEBUG, () -> sessionName + ": sent " + AlertLevel.getText(alertLevel) + " alert "
                + AlertDescription.getText(alertDescription) + (message == null ? "" : " (" + message + ")"));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            peerSentCloseNotify = true;
        }
        LOG.log(Level.DEBUG, () -> sessionName + ": received " + AlertLevel.getText(alertLevel) + " alert "
                + AlertDescription.getText(alertDescription));
    }
}
