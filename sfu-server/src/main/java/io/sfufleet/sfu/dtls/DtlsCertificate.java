package io.sfufleet.sfu.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The node's self-signed ECDSA P-256 certificate and key. WebRTC peers authenticate it only by
 * the fingerprint in the SDP, so nothing about the name or issuer matters. Make one per node and
 * share it: it is immutable.
 */
public final class DtlsCertificate {
    static final String COMMON_NAME = "sfu-fleet";
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final DtlsFingerprint sha256;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.sha256 = DtlsFingerprint.of("sha-256", der);
    }

    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Instant.now());
    }

    static DtlsCertificate generate(SecureRandom random, Instant now) {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(
                new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1)),
                random));
        AsymmetricCipherKeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + COMMON_NAME);
        // Positive and non-zero, as RFC 5280 requires; random so that two certificates of one node never share a serial.
        BigInteger serial = new BigInteger(63, random).setBit(62);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    name, serial,
                    // Backdated so that a peer whose clock is behind ours still accepts it.
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)),
                    name, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic()));
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            byte[] der = builder.build(new BcECContentSignerBuilder(sigAlg, digestAlg).build(keys.getPrivate())).getEncoded();
            return new DtlsCertificate(der, keys.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("BouncyCastle cannot sign with SHA256withECDSA", e);
        }
    }

    /** Upper-case colon-separated SHA-256 of the certificate, for SDP {@code a=fingerprint:sha-256 ...}. */
    public String fingerprintSha256() {
        return sha256.hex();
    }

    public DtlsFingerprint fingerprint() {
        return sha256;
    }

    /** The DER encoding, a copy. */
    public byte[] encoded() {
        return der.clone();
    }

    /**
     * Credentials for one handshake; BouncyCastle binds them to that handshake's context. Public
     * for the load tool's DTLS client, which presents a certificate of its own as browsers do.
     */
    public TlsCredentialedSigner signer(TlsCryptoParameters parameters, BcTlsCrypto crypto, SignatureAndHashAlgorithm algorithm)
            throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
        return new BcDefaultTlsCredentialedSigner(parameters, crypto, privateKey, chain, algorithm);
    }
}
