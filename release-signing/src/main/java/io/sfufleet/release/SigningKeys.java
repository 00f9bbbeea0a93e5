package io.sfufleet.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Ed25519 release keys as PEM files that OpenSSL reads too: the private key as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), the public key as SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}).
 * A host without Java checks a bundle with {@code openssl pkeyutl -verify -pubin -rawin}, so the
 * public key must be in the form OpenSSL takes.
 *
 * <p>For Ed25519 both DER structures are a fixed prefix followed by the 32 key bytes (RFC 8410),
 * so they are written and parsed directly instead of through an ASN.1 library.
 */
public final class SigningKeys {
    /** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) } (RFC 8410 section 4). */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } } (section 7). */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private SigningKeys() {
    }

    /** A new key pair; the console makes one per site. */
    public static Ed25519PrivateKeyParameters generate(SecureRandom random) {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(random));
        return (Ed25519PrivateKeyParameters) generator.generateKeyPair().getPrivate();
    }

    public static String privateKeyPem(Ed25519PrivateKeyParameters key) {
        return pem("PRIVATE KEY", concat(PKCS8_PREFIX, key.getEncoded()));
    }

    public static String publicKeyPem(Ed25519PublicKeyParameters key) {
        return pem("PUBLIC KEY", concat(SPKI_PREFIX, key.getEncoded()));
    }

    public static Ed25519PrivateKeyParameters parsePrivateKey(String pem) {
        return new Ed25519PrivateKeyParameters(keyBytes(pem, "PRIVATE KEY", PKCS8_PREFIX));
    }

    public static Ed25519PublicKeyParameters parsePublicKey(String pem) {
        return new Ed25519PublicKeyParameters(keyBytes(pem, "PUBLIC KEY", SPKI_PREFIX));
    }

    public static Ed25519PrivateKeyParameters readPrivateKey(Path file) throws IOException {
        try {
            return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Ed25519PublicKeyParameters readPublicKey(Path file) throws IOException {
        try {
            return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the private key readable by its owner only (created so, never world-readable even briefly). */
    public static void writePrivateKey(Ed25519PrivateKeyParameters key, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, privateKeyPem(key), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static void writePublicKey(Ed25519PublicKeyParameters key, Path file) throws IOException {
        Files.writeString(file, publicKeyPem(key), StandardCharsets.US_ASCII);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] keyBytes(String pem, String label, byte[] prefix) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("not a PEM " + label + " (expected " + begin + " ... " + end + ")");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM " + label + " is not valid base64", e);
        }
        if (der.length != prefix.length + 32 || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("the " + label + " is not an Ed25519 key (RFC 8410 "
                    + (prefix == SPKI_PREFIX ? "SubjectPublicKeyInfo" : "PKCS#8") + " expected)");
        }
        return Arrays.copyOfRange(der, prefix.length, der.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
