package io.sfufleet.console.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The CA's arithmetic, without storage or I/O: make the site CA, issue node certificates, and
 * convert to and from PEM. Keys are ECDSA P-256 (every browser, OS and the JDK accept them);
 * signatures SHA256withECDSA. The JDK's own providers do the key work; BouncyCastle only builds
 * and encodes the certificates, so no provider is registered globally.
 */
public final class Certificates {
    public static final Duration CA_VALIDITY = Duration.ofDays(3653);
    /** The CA/Browser Forum's ceiling for server certificates; browsers refuse longer ones. */
    public static final Duration DEFAULT_NODE_VALIDITY = Duration.ofDays(397);
    /** notBefore is this far in the past, so a host whose clock runs a little behind accepts it at once. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";

    private Certificates() {
    }

    /** A CA and its key (in memory only; stored sealed). */
    public record Authority(X509Certificate certificate, PrivateKey key) {
    }

    /** A node's certificate and the key the console made for it. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    public static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys", e);
        }
    }

    /** Checks a CA name typed by an operator: it becomes the certificate's CN, shown in every trust store. */
    public static String checkCaName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 64 || !name.strip().matches("[\\p{L}\\p{N} ._,'()-]+")) {
            throw new IllegalArgumentException("the CA name must be 1 to 64 letters, digits, spaces or . _ , ' ( ) -, "
                    + "like \"Example Corp SFU CA\", not " + (name == null ? "nothing" : "\"" + name + "\""));
        }
        return name.strip();
    }

    /** A self-signed CA: basicConstraints CA:true pathlen 0 (it signs nodes, never other CAs), keyCertSign and cRLSign. */
    public static Authority newCa(String name, Instant now, SecureRandom random) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, checkCaName(name)).build();
        KeyPair kp = newKeyPair(random);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new Authority(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * A node certificate signed by {@code ca}: the given names as subjectAltName, serverAuth,
     * digitalSignature (ECDHE_ECDSA needs nothing else), a random 128-bit serial.
     *
     * @throws IllegalStateException when the CA has expired or would expire before {@code validity} ends
     */
    public static Issued issue(Authority ca, String host, SubjectNames names, Duration validity, Instant now,
            SecureRandom random) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(DEFAULT_NODE_VALIDITY) > 0) {
            throw new IllegalArgumentException("a node certificate's validity must be 1 to 397 days (browsers refuse "
                    + "longer ones), not " + validity.toDays() + " days");
        }
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (!now.isBefore(caEnd)) {
            throw new IllegalStateException("the site CA expired on " + caEnd + ": certificates it signs are refused "
                    + "everywhere. Create a new CA (sfu-console ca create --name N --replace), put its certificate in "
                    + "the browsers' trust stores, then issue and push every node's certificate again");
        }
        Instant end = now.plus(validity);
        if (end.isAfter(caEnd)) {
            throw new IllegalStateException("the site CA expires on " + caEnd + ", before the " + validity.toDays()
                    + " days asked for end: give --days " + Math.max(0, Duration.between(now, caEnd).toDays())
                    + " or less, or create a new CA");
        }
        KeyPair kp = newKeyPair(random);
        List<GeneralName> sans = new ArrayList<>();
        names.ips().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
        names.dnsNames().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(end), subject, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    // the names are the point: critical would only matter with an empty subject
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ca.certificate()));
            return new Issued(sign(b, ca.key()), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + host, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws CertificateException {
        try {
            byte[] der = b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (OperatorCreationException | IOException e) {
            throw new CertificateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** Positive, 128 bits of randomness (RFC 5280 allows up to 20 octets; CA/B asks for at least 64 bits). */
    static BigInteger serial(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        BigInteger s = new BigInteger(1, b);
        return s.signum() == 0 ? BigInteger.ONE : s;
    }

    public static String serialHex(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    /** SHA-256 of the DER certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public static String sha256(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate c) {
        return write(c);
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted: what Netty's server reads. */
    public static String pem(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    private static String write(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static X509Certificate readCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readKey(String pem) {
        try (PemReader r = new PemReader(new StringReader(pem))) {
            PemObject o = r.readPemObject();
            if (o == null || !"PRIVATE KEY".equals(o.getType())) {
                throw new IllegalArgumentException("not a PKCS#8 PEM private key");
            }
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(o.getContent()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 EC private key: " + e.getMessage(), e);
        }
    }
}
