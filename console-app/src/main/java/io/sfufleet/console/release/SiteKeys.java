package io.sfufleet.console.release;

import io.sfufleet.release.SigningKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The site's Ed25519 release key, made by the console: air-gapped sites have no outside signer.
 * The private key ({@code site-release.key}, mode 0600) signs bundles at build time
 * ({@code -Dsfu.release.key=...}); the public key ({@code site-release.pub}) is what the console
 * and {@code install.sh --key} check bundles with.
 */
public final class SiteKeys {
    public static final String PRIVATE = "site-release.key";
    public static final String PUBLIC = "site-release.pub";

    /** The two files written, and the public key's fingerprint. */
    public record Generated(Path privateKey, Path publicKey, String fingerprint) {
    }

    private SiteKeys() {
    }

    /** Writes a new key pair into {@code dir}; refuses to overwrite an existing one (that would orphan every signed bundle). */
    public static Generated generate(Path dir, SecureRandom random) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve(PRIVATE);
        Path pub = dir.resolve(PUBLIC);
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null,
                        "a site key is already there; bundles signed with it would no longer verify if it were replaced");
            }
        }
        Ed25519PrivateKeyParameters key = SigningKeys.generate(random);
        Files.createFile(priv);
        if (Files.getFileStore(priv).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        }
        SigningKeys.writePrivateKey(key, priv);
        SigningKeys.writePublicKey(key.generatePublicKey(), pub);
        return new Generated(priv, pub, fingerprint(key.generatePublicKey()));
    }

    /** {@code SHA256:<base64>} of the raw public key, as people compare it by eye. */
    public static String fingerprint(Ed25519PublicKeyParameters key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
