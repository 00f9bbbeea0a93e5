package io.sfufleet.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseManifestTest {
    private static final Ed25519PrivateKeyParameters KEY = SigningKeys.generate(new SecureRandom());
    private static final Ed25519PrivateKeyParameters OTHER = SigningKeys.generate(new SecureRandom());

    @TempDir
    Path root;

    private void tree() throws IOException {
        Files.createDirectories(root.resolve("app/lib"));
        Files.writeString(root.resolve("VERSION"), "1.2.3\n");
        Files.write(root.resolve("app/lib/a.jar"), new byte[] {1, 2, 3, 4});
        Files.writeString(root.resolve("app/b.txt"), "hello");
    }

    @Test
    void aSignedTreeVerifiesAndTheManifestIsWhatSha256sumWrites() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        ReleaseManifest.verify(root, KEY.generatePublicKey());
        String manifest = Files.readString(root.resolve(ReleaseManifest.MANIFEST));
        assertThat(manifest.lines().map(l -> l.substring(66)).toList()).containsExactly("VERSION", "app/b.txt", "app/lib/a.jar");
        // coreutils reads it as it is: what install.sh relies on.
        assertThat(run(root, "sha256sum", "--check", "--strict", "--quiet", ReleaseManifest.MANIFEST)).isZero();
        assertThat(manifest).contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  app/b.txt\n");
    }

    @Test
    void opensslVerifiesTheSignatureWithThePublicKeyPem() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        Path pub = root.resolveSibling(root.getFileName() + ".pub");
        SigningKeys.writePublicKey(KEY.generatePublicKey(), pub);
        assertThat(run(root, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", "MANIFEST", "-sigfile", "MANIFEST.sig")).isZero();
        SigningKeys.writePublicKey(OTHER.generatePublicKey(), pub);
        assertThat(run(root, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", "MANIFEST", "-sigfile", "MANIFEST.sig")).isNotZero();
    }

    @Test
    void aKeyMadeByOpensslIsReadAndItsSignaturesVerify() throws Exception {
        Path key = root.resolve("k.pem");
        Path msg = root.resolve("m");
        Path sig = root.resolve("m.sig");
        Files.writeString(msg, "manifest bytes");
        assertThat(run(root, "openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString())).isZero();
        assertThat(run(root, "openssl", "pkeyutl", "-sign", "-inkey", key.toString(), "-rawin", "-in", msg.toString(),
                "-out", sig.toString())).isZero();
        Ed25519PrivateKeyParameters parsed = SigningKeys.readPrivateKey(key);
        assertThat(ReleaseManifest.signatureValid(parsed.generatePublicKey(), Files.readAllBytes(msg),
                Files.readAllBytes(sig))).isTrue();
        // Same key, same message: Ed25519 is deterministic, so ours equals OpenSSL's byte for byte.
        assertThat(ReleaseManifest.signature(parsed, Files.readAllBytes(msg))).isEqualTo(Files.readAllBytes(sig));
    }

    @Test
    void pemRoundTripsAndBadPemSaysWhy() throws Exception {
        String priv = SigningKeys.privateKeyPem(KEY);
        assertThat(SigningKeys.parsePrivateKey(priv).getEncoded()).isEqualTo(KEY.getEncoded());
        String pub = SigningKeys.publicKeyPem(KEY.generatePublicKey());
        assertThat(SigningKeys.parsePublicKey(pub).getEncoded()).isEqualTo(KEY.generatePublicKey().getEncoded());
        assertThatThrownBy(() -> SigningKeys.parsePublicKey(priv)).hasMessageContaining("not a PEM PUBLIC KEY");
        String rsaLike = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> SigningKeys.parsePublicKey(rsaLike)).hasMessageContaining("not an Ed25519 key");
        Path file = root.resolve("site.key");
        SigningKeys.writePrivateKey(KEY, file);
        assertThat(Files.getPosixFilePermissions(file)).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void oneChangedByteIsRefusedWithThePath() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        byte[] jar = Files.readAllBytes(root.resolve("app/lib/a.jar"));
        jar[2] ^= 1;
        Files.write(root.resolve("app/lib/a.jar"), jar);
        assertThatThrownBy(() -> ReleaseManifest.verify(root, KEY.generatePublicKey()))
                .isInstanceOfSatisfying(BundleRejectedException.class, e -> assertThat(e.reasons())
                        .containsExactly("changed file (SHA-256 differs from MANIFEST): app/lib/a.jar"));
    }

    @Test
    void aMissingAndAnExtraFileAreBothNamed() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        Files.delete(root.resolve("app/b.txt"));
        Files.writeString(root.resolve("app/lib/evil.jar"), "x");
        assertThatThrownBy(() -> ReleaseManifest.verify(root, KEY.generatePublicKey()))
                .isInstanceOfSatisfying(BundleRejectedException.class, e -> assertThat(e.reasons())
                        .containsExactly("missing file: app/b.txt", "file not in MANIFEST: app/lib/evil.jar"));
    }

    @Test
    void aChangedSignatureByteOrAnotherKeyIsABadSignature() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        assertThatThrownBy(() -> ReleaseManifest.verify(root, OTHER.generatePublicKey()))
                .hasMessageContaining("bad signature");
        byte[] sig = Files.readAllBytes(root.resolve("MANIFEST.sig"));
        sig[10] ^= 0x40;
        Files.write(root.resolve("MANIFEST.sig"), sig);
        assertThatThrownBy(() -> ReleaseManifest.verify(root, KEY.generatePublicKey()))
                .hasMessageContaining("bad signature");
    }

    @Test
    void aManifestEditedToMatchAChangedFileStillFailsOnTheSignature() throws Exception {
        tree();
        ReleaseManifest.sign(root, KEY);
        Files.writeString(root.resolve("app/b.txt"), "hellO");
        Files.writeString(root.resolve("MANIFEST"), ReleaseManifest.build(root), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ReleaseManifest.verify(root, KEY.generatePublicKey()))
                .hasMessageContaining("bad signature");
        Files.delete(root.resolve("MANIFEST.sig"));
        assertThatThrownBy(() -> ReleaseManifest.verify(root, KEY.generatePublicKey()))
                .hasMessageContaining("missing MANIFEST.sig");
    }

    @Test
    void symbolicLinksAreNotSigned() throws Exception {
        tree();
        Files.createSymbolicLink(root.resolve("app/link"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> ReleaseManifest.sign(root, KEY)).hasMessageContaining("symbolic link in a release tree: app/link");
    }

    private static int run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
        }
        return p.exitValue();
    }
}
