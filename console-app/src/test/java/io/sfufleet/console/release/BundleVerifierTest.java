package io.sfufleet.console.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.release.BundleRejectedException;
import io.sfufleet.release.ReleaseManifest;
import io.sfufleet.release.SigningKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's bundle check with a key made by {@code sfu-console site-key generate}: a signed
 * bundle passes; a changed file, a changed signature, another key and a link are refused.
 * Archives are made with GNU tar, as a release build or an attacker would.
 */
class BundleVerifierTest {
    @TempDir
    Path dir;

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        int code = new ConsoleCli(Map.of(), "tester", Clock.systemUTC(), io.sfufleet.console.node.NodeClient.newHttpClient())
                .run(new PrintWriter(out), new PrintWriter(out), args);
        return code + " " + out;
    }

    private Path tree(String version) throws Exception {
        Path root = dir.resolve("src").resolve("sfu-server-" + version);
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("VERSION"), version + "\n");
        Files.write(root.resolve("app/sfu-server.jar"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.writeString(root.resolve("install.sh"), "#!/bin/sh\necho install\n");
        return root;
    }

    private Path tar(Path root, String name) throws Exception {
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder("tar", "--format=ustar", "-czf", out.toString(), "-C", root.getParent().toString(),
                root.getFileName().toString()).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    void aKeyFromTheCliVerifiesItsBundlesAndTamperingIsRefusedWithTheReason() throws Exception {
        Path keys = dir.resolve("keys");
        String generated = cli("--db", dir.resolve("c.db").toString(), "site-key", "generate", "--dir", keys.toString());
        assertThat(generated).startsWith("0 ").contains("fingerprint: SHA256:");
        assertThat(Files.getPosixFilePermissions(keys.resolve(SiteKeys.PRIVATE)).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(cli("--db", dir.resolve("c.db").toString(), "site-key", "generate", "--dir", keys.toString()))
                .as("never overwrites a site key").startsWith("2 ").contains("already");
        var key = SigningKeys.readPrivateKey(keys.resolve(SiteKeys.PRIVATE));
        Path pub = keys.resolve(SiteKeys.PUBLIC);

        Path root = tree("1.2.3");
        ReleaseManifest.sign(root, key);
        Path good = tar(root, "good.tar.gz");
        BundleVerifier.Verified v = BundleVerifier.verify(good, pub);
        assertThat(v.version()).isEqualTo("1.2.3");
        assertThat(v.topFolder()).isEqualTo("sfu-server-1.2.3");
        assertThat(cli("bundle", "verify", good.toString(), "--site-key", pub.toString()))
                .startsWith("0 ok: good.tar.gz is version 1.2.3");

        Files.write(root.resolve("app/sfu-server.jar"), new byte[] {1, 2, 3, 4, 5, 6, 7, 9});
        Path changedJar = tar(root, "jar.tar.gz");
        assertThatThrownBy(() -> BundleVerifier.verify(changedJar, pub)).isInstanceOf(BundleRejectedException.class)
                .satisfies(e -> assertThat(((BundleRejectedException) e).reasons()).anyMatch(r -> r.contains("app/sfu-server.jar")));
        assertThat(cli("bundle", "verify", changedJar.toString(), "--site-key", pub.toString()))
                .startsWith("1 REFUSED: jar.tar.gz").contains("app/sfu-server.jar");

        ReleaseManifest.sign(root, key);
        byte[] sig = Files.readAllBytes(root.resolve(ReleaseManifest.SIGNATURE));
        sig[10] ^= 1;
        Files.write(root.resolve(ReleaseManifest.SIGNATURE), sig);
        Path badSig = tar(root, "sig.tar.gz");
        assertThatThrownBy(() -> BundleVerifier.verify(badSig, pub)).isInstanceOf(BundleRejectedException.class)
                .satisfies(e -> assertThat(((BundleRejectedException) e).reasons().getFirst()).startsWith("bad signature"));

        ReleaseManifest.sign(root, SigningKeys.generate(new SecureRandom()));
        Path otherKey = tar(root, "other.tar.gz");
        assertThatThrownBy(() -> BundleVerifier.verify(otherKey, pub)).isInstanceOf(BundleRejectedException.class)
                .satisfies(e -> assertThat(((BundleRejectedException) e).reasons().getFirst()).startsWith("bad signature"));

        ReleaseManifest.sign(root, key);
        Files.createSymbolicLink(root.resolve("app/evil"), Path.of("/etc/passwd"));
        Path withLink = tar(root, "link.tar.gz");
        assertThatThrownBy(() -> BundleVerifier.verify(withLink, pub)).isInstanceOf(BundleRejectedException.class)
                .satisfies(e -> assertThat(((BundleRejectedException) e).reasons().getFirst()).contains("link"));

        Path notGzip = dir.resolve("plain.tar.gz");
        Files.writeString(notGzip, "hello", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BundleVerifier.verify(notGzip, pub)).isInstanceOf(Exception.class);
    }
}
