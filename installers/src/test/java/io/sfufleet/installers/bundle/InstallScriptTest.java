package io.sfufleet.installers.bundle;

import static io.sfufleet.installers.TestBundles.asUser;
import static io.sfufleet.installers.TestBundles.giveToUser;
import static io.sfufleet.installers.TestBundles.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.installers.TestBundles;
import io.sfufleet.installers.TestBundles.Result;
import io.sfufleet.installers.tools.TarGz;
import io.sfufleet.release.ReleaseManifest;
import io.sfufleet.release.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * install.sh, run as an unprivileged user ({@link TestBundles#USER} when the tests run as root)
 * into temporary prefixes, with the real bundle and copies of it changed in one place each: every
 * bad bundle is refused with its reason, and leaves no release, no {@code current} link and no
 * scratch directory behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Instant MTIME = Instant.parse(TestBundles.property("sfu.timestamp"));
    private static final String V1 = TestBundles.version();
    private static final String V2 = "0.1.1-test";

    private Path work;
    /** The real bundle, unpacked: the copies below are made from it (and it is restored after each). */
    private Path tree;
    private Path installScript;
    private Path devKey;
    private Ed25519PrivateKeyParameters signer;

    @BeforeAll
    void unpackTheBundle() throws IOException {
        work = Files.createTempDirectory("sfu-install-test-");
        Path src = Files.createDirectories(work.resolve("src"));
        Result r = run(TIMEOUT, List.of("tar", "-xzf", TestBundles.bundle().toString(), "-C", src.toString()), Map.of(), null);
        assertThat(r.code()).as(r.output()).isZero();
        tree = src.resolve("sfu-server-" + V1);
        installScript = work.resolve("install.sh");
        Files.copy(tree.resolve("install.sh"), installScript);
        devKey = work.resolve("site.pub");
        Files.copy(TestBundles.devPublicKey(), devKey);
        signer = SigningKeys.readPrivateKey(Path.of(TestBundles.property("sfu.release.key")));
        Files.createDirectories(work.resolve("bundles"));
        giveToUser(work);
    }

    @AfterAll
    void deleteWork() {
        run(TIMEOUT, List.of("rm", "-rf", work.toString()), Map.of(), null);
    }

    // --- refusals -------------------------------------------------------------------------------

    @Test
    void aHostThatIsNotLinuxX8664IsToldSoAndNothingIsInstalled() throws IOException {
        Path fake = Files.createDirectories(work.resolve("fake-uname"));
        Path uname = fake.resolve("uname");
        Files.writeString(uname, "#!/bin/sh\ncase \"$1\" in -s) echo Darwin ;; -m) echo arm64 ;; esac\n");
        uname.toFile().setExecutable(true, false);
        Path prefix = work.resolve("p-darwin");
        Result r = run(TIMEOUT, asUser(List.of(installScript.toString(), "--prefix", prefix.toString(), "--key",
                devKey.toString(), TestBundles.bundle().toString())), Map.of("PATH", fake + ":/usr/bin:/bin"), work);
        assertThat(r.code()).isNotZero();
        assertThat(r.output()).contains("runs on Linux x86_64 only; this host is Darwin arm64");
        assertThat(prefix).doesNotExist();
    }

    @Test
    void oneChangedByteInAJarIsRefusedNamingTheJar() throws IOException {
        Path jar = firstLibJar();
        byte[] original = Files.readAllBytes(jar);
        byte[] changed = original.clone();
        changed[changed.length / 2] ^= 1;
        Path bundle = pack("jar-byte", () -> Files.write(jar, changed), () -> Files.write(jar, original));
        assertRefused(bundle, "files differ from the signed MANIFEST", "app/lib/" + jar.getFileName() + ": FAILED");
    }

    @Test
    void oneChangedByteInTheSignatureIsRefused() throws IOException {
        Path sig = tree.resolve("MANIFEST.sig");
        byte[] original = Files.readAllBytes(sig);
        byte[] changed = original.clone();
        changed[17] ^= 0x10;
        Path bundle = pack("sig-byte", () -> Files.write(sig, changed), () -> Files.write(sig, original));
        assertRefused(bundle, "bad signature: MANIFEST.sig does not match MANIFEST");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() throws IOException {
        Path jar = firstLibJar();
        byte[] original = Files.readAllBytes(jar);
        Path bundle = pack("missing", () -> Files.delete(jar), () -> Files.write(jar, original));
        assertRefused(bundle, "files differ from the signed MANIFEST", "app/lib/" + jar.getFileName() + ": FAILED open or read");
    }

    @Test
    void aFileThatIsNotInTheManifestIsRefused() throws IOException {
        Path extra = tree.resolve("app/lib/extra.jar");
        Path bundle = pack("extra", () -> Files.writeString(extra, "not signed"), () -> Files.delete(extra));
        assertRefused(bundle, "files not in the signed MANIFEST: app/lib/extra.jar");
    }

    @Test
    void aBundleSignedWithAnotherKeyIsRefused() throws IOException {
        Path otherKey = work.resolve("other.pub");
        SigningKeys.writePublicKey(SigningKeys.generate(new SecureRandom()).generatePublicKey(), otherKey);
        giveToUser(otherKey);
        Path prefix = work.resolve("p-other-key");
        Result r = install(prefix, TestBundles.bundle(), "--key", otherKey.toString());
        assertThat(r.code()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("bad signature");
        assertNothingInstalled(prefix);
    }

    @Test
    void aLinkInTheArchiveIsRefusedBeforeAnythingIsUnpacked() throws IOException {
        Path small = Files.createDirectories(work.resolve("linked/sfu-server-9.9.9"));
        Files.createSymbolicLink(small.resolve("passwd"), Path.of("/etc/passwd"));
        Path bundle = work.resolve("bundles/linked.tar.gz");
        Result tar = run(TIMEOUT, List.of("tar", "-czf", bundle.toString(), "-C", work.resolve("linked").toString(),
                "sfu-server-9.9.9"), Map.of(), null);
        assertThat(tar.code()).as(tar.output()).isZero();
        giveToUser(bundle);
        assertRefused(bundle, "the bundle has links or special files");
    }

    // --- install, upgrade, roll back -------------------------------------------------------------

    @Test
    void installsAsAnOrdinaryUserThenASecondVersionThenRollsBack() throws IOException {
        Path prefix = work.resolve("p-install");
        Result first = install(prefix, TestBundles.bundle(), "--key", devKey.toString());
        assertThat(first.code()).as(first.output()).isZero();
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V1);
        assertThat(prefix.resolve("previous")).doesNotExist();
        assertThat(prefix.resolve("current/bin/sfu-server")).isExecutable();
        assertThat(prefix.resolve("etc/release-signing.pub")).hasSameTextualContentAs(devKey);
        assertThat(prefix.resolve("etc/sfu.toml")).hasSameTextualContentAs(tree.resolve("config/sfu.toml"));
        assertThat(Files.getPosixFilePermissions(prefix.resolve("etc/sfu-server.env"))).hasToString("[OWNER_READ, OWNER_WRITE]");
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            assertThat(first.output()).contains("systemd is not running on this host: skipped the systemd unit");
        }
        if (TestBundles.root()) {
            assertThat(first.output()).contains("not root: skipped the sfu user and the sysctl settings");
            assertThat(Files.getOwner(prefix.resolve("current/bin/sfu-server")).getName()).isEqualTo(TestBundles.USER);
        }
        assertNoScratchLeft(prefix);

        // The unit install.sh rendered is one systemd accepts (the check can fail: see BundleContentsTest).
        String unit = Files.readString(prefix.resolve("etc/sfu-server.service"));
        assertThat(unit).contains("ExecStart=" + prefix + "/current/bin/sfu-server --config " + prefix + "/etc/sfu.toml")
                .doesNotContain("@PREFIX@");
        Result verify = run(TIMEOUT, List.of("systemd-analyze", "verify", prefix.resolve("etc/sfu-server.service").toString()),
                Map.of(), null);
        assertThat(verify.code()).as(verify.output()).isZero();

        // The admin's configuration survives upgrades.
        Files.writeString(prefix.resolve("etc/sfu.toml"), "\n# edited by the admin\n", java.nio.file.StandardOpenOption.APPEND);
        String edited = Files.readString(prefix.resolve("etc/sfu.toml"));

        // Version 2, installed with the install.sh of the installed release and the kept site key.
        Path v2 = packVersion2();
        Result second = run(TIMEOUT, asUser(List.of(prefix.resolve("current/install.sh").toString(), "--prefix",
                prefix.toString(), v2.toString())), Map.of(), work);
        assertThat(second.code()).as(second.output()).isZero();
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V2);
        assertThat(Files.readSymbolicLink(prefix.resolve("previous"))).hasToString("releases/" + V1);
        assertThat(prefix.resolve("current/VERSION")).hasContent(V2);
        assertThat(prefix.resolve("etc/sfu.toml")).hasContent(edited.stripTrailing());

        Result again = install(prefix, v2);
        assertThat(again.code()).isNotZero();
        assertThat(again.output()).contains("release " + V2 + " is already installed");

        Result otherKey = install(prefix, v2, "--key", tree.resolve("config/sfu.toml").toString());
        assertThat(otherKey.code()).isNotZero();
        assertThat(otherKey.output()).contains("is not a PEM public key");

        Result rollback = run(TIMEOUT, asUser(List.of(installScript.toString(), "--prefix", prefix.toString(),
                "--rollback")), Map.of(), work);
        assertThat(rollback.code()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains("rolled back: current is now releases/" + V1);
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V1);
        assertThat(Files.readSymbolicLink(prefix.resolve("previous"))).hasToString("releases/" + V2);
        assertThat(prefix.resolve("current/VERSION")).hasContent(V1);
        assertThat(prefix.resolve("releases/" + V2)).isDirectory();
        assertNoScratchLeft(prefix);
    }

    @Test
    void stageUnpacksWithoutSwitchingThenSwitchMakesItCurrent() throws IOException {
        Path prefix = work.resolve("p-stage");
        Result first = install(prefix, TestBundles.bundle(), "--key", devKey.toString());
        assertThat(first.code()).as(first.output()).isZero();
        Path v2 = packVersion2();

        Result staged = install(prefix, v2, "--stage");
        assertThat(staged.code()).as(staged.output()).isZero();
        assertThat(staged.output()).contains("staged " + V2).contains("current is unchanged (releases/" + V1 + ")");
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V1);
        assertThat(prefix.resolve("previous")).doesNotExist();
        assertThat(prefix.resolve("releases/" + V2 + "/VERSION")).hasContent(V2);
        assertNoScratchLeft(prefix);

        // a stage interrupted or repeated: the copy is replaced by a checked one, a stray file goes with it
        Files.writeString(prefix.resolve("releases/" + V2 + "/stray"), "left by an interrupted run");
        Result again = install(prefix, v2, "--stage");
        assertThat(again.code()).as(again.output()).isZero();
        assertThat(prefix.resolve("releases/" + V2 + "/stray")).doesNotExist();

        // a bad bundle is refused at the stage, nothing changes
        Path jar = firstLibJar();
        byte[] original = Files.readAllBytes(jar);
        byte[] changed = original.clone();
        changed[changed.length / 3] ^= 1;
        Path bad = pack("stage-bad", () -> Files.write(jar, changed), () -> Files.write(jar, original));
        Result refused = install(prefix, bad, "--stage");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.output()).contains("refused", "files differ from the signed MANIFEST");
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V1);

        Result notStaged = run(TIMEOUT, asUser(List.of(installScript.toString(), "--prefix", prefix.toString(),
                "--no-system", "--switch", "9.9.9")), Map.of(), work);
        assertThat(notStaged.code()).isNotZero();
        assertThat(notStaged.output()).contains("release 9.9.9 is not staged");

        Result switched = run(TIMEOUT, asUser(List.of(prefix.resolve("releases/" + V2 + "/install.sh").toString(),
                "--prefix", prefix.toString(), "--no-system", "--switch", V2)), Map.of(), work);
        assertThat(switched.code()).as(switched.output()).isZero();
        assertThat(switched.output()).contains("switched: current -> releases/" + V2 + " (previous: releases/" + V1);
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).hasToString("releases/" + V2);
        assertThat(Files.readSymbolicLink(prefix.resolve("previous"))).hasToString("releases/" + V1);
        assertThat(prefix.resolve("etc/sfu-server.service")).content().contains(prefix + "/current/bin/sfu-server");

        Result twice = run(TIMEOUT, asUser(List.of(installScript.toString(), "--prefix", prefix.toString(),
                "--no-system", "--switch", V2)), Map.of(), work);
        assertThat(twice.code()).isNotZero();
        assertThat(twice.output()).contains("release " + V2 + " is already current");

        // the running release is never replaced by a stage
        Result overCurrent = install(prefix, v2, "--stage");
        assertThat(overCurrent.code()).isNotZero();
        assertThat(overCurrent.output()).contains("release " + V2 + " is already installed");
        assertThat(prefix.resolve("current/VERSION")).hasContent(V2);
        assertNoScratchLeft(prefix);
    }

    @Test
    void rollbackWithNothingToRollBackToSaysSo() {
        Path prefix = work.resolve("p-empty");
        Result r = run(TIMEOUT, asUser(List.of(installScript.toString(), "--prefix", prefix.toString(), "--rollback")),
                Map.of(), work);
        assertThat(r.code()).isNotZero();
        assertThat(r.output()).contains("no previous release under " + prefix + " to roll back to");
    }

    // ---------------------------------------------------------------------------------------------

    private Result install(Path prefix, Path bundle, String... options) {
        List<String> cmd = new ArrayList<>(List.of(installScript.toString(), "--prefix", prefix.toString()));
        cmd.addAll(List.of(options));
        cmd.add(bundle.toString());
        return run(TIMEOUT, asUser(cmd), Map.of(), work);
    }

    private void assertRefused(Path bundle, String... reasons) {
        Path prefix = work.resolve("p-" + bundle.getFileName().toString().replace(".tar.gz", ""));
        Result r = install(prefix, bundle, "--key", devKey.toString());
        assertThat(r.code()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("refused").contains(reasons);
        assertNothingInstalled(prefix);
    }

    private static void assertNothingInstalled(Path prefix) {
        assertThat(prefix.resolve("releases")).isEmptyDirectory();
        assertThat(prefix.resolve("current")).doesNotExist();
        assertThat(prefix.resolve("etc/release-signing.pub")).as("an untrusted key is not kept").doesNotExist();
        assertNoScratchLeft(prefix);
    }

    private static void assertNoScratchLeft(Path prefix) {
        try (Stream<Path> s = Files.list(prefix)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".incoming") || n.startsWith(".install"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path firstLibJar() throws IOException {
        try (Stream<Path> s = Files.list(tree.resolve("app/lib"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("netty-common")).findFirst().orElseThrow();
        }
    }

    private interface Change {
        void apply() throws IOException;
    }

    /** The real tree with one change, packed as a bundle (fast gzip), then the tree is restored. */
    private synchronized Path pack(String name, Change change, Change undo) throws IOException {
        Path out = work.resolve("bundles/" + name + ".tar.gz");
        change.apply();
        try {
            TarGz.write(tree, tree.getFileName().toString(), MTIME, out, 1);
        } finally {
            undo.apply();
        }
        giveToUser(out);
        return out;
    }

    /** The same tree as version {@value #V2}, properly signed with the build's key. */
    private synchronized Path packVersion2() throws IOException {
        Path out = work.resolve("bundles/v2.tar.gz");
        Path version = tree.resolve("VERSION");
        Files.writeString(version, V2 + "\n", StandardCharsets.US_ASCII);
        try {
            ReleaseManifest.sign(tree, signer);
            TarGz.write(tree, "sfu-server-" + V2, MTIME, out, 1);
        } finally {
            Files.writeString(version, V1 + "\n", StandardCharsets.US_ASCII);
            ReleaseManifest.sign(tree, signer);
        }
        giveToUser(out);
        return out;
    }
}
