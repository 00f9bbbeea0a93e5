package io.sfufleet.installers.bundle;

import static io.sfufleet.installers.TestBundles.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.installers.TestBundles;
import io.sfufleet.installers.TestBundles.Result;
import io.sfufleet.release.ReleaseManifest;
import io.sfufleet.release.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What is in the bundle, read back with GNU tar and the console's verifier. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleContentsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long MAX_BYTES = 80_000_000L;

    private Path work;
    private Path root;
    private String top;

    @BeforeAll
    void unpack() throws IOException {
        work = Files.createTempDirectory("sfu-bundle-contents-");
        Result r = run(TIMEOUT, List.of("tar", "-xzf", TestBundles.bundle().toString(), "-C", work.toString()), Map.of(), null);
        assertThat(r.code()).as(r.output()).isZero();
        top = "sfu-server-" + TestBundles.version();
        root = work.resolve(top);
    }

    @AfterAll
    void clean() {
        run(TIMEOUT, List.of("rm", "-rf", work.toString()), Map.of(), null);
    }

    @Test
    void sizeNameAndEntriesAreFixedSortedAndOwnedByNobodyInParticular() throws IOException {
        long size = Files.size(TestBundles.bundle());
        System.out.printf("bundle %s: %d bytes (%.1f MB)%n", TestBundles.bundle().getFileName(), size, size / 1e6);
        assertThat(size).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(TestBundles.bundle().getFileName()).hasToString(top + "-linux-x64.tar.gz");

        Result list = run(TIMEOUT, List.of("tar", "--numeric-owner", "--full-time", "-tvzf", TestBundles.bundle().toString()),
                Map.of("TZ", "UTC"), null);
        assertThat(list.code()).as(list.output()).isZero();
        Map<String, String> modes = new LinkedHashMap<>();
        for (String line : list.output().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            assertThat(f[1]).as(line).isEqualTo("0/0");
            assertThat(f[3] + " " + f[4]).as(line).isEqualTo("2026-11-23 00:00:00");
            modes.put(f[5], f[0]);
        }
        assertThat(modes.keySet()).allMatch(n -> n.startsWith(top + "/"));
        assertThat(modes).containsEntry(top + "/bin/sfu-server", "-rwxr-xr-x")
                .containsEntry(top + "/bin/sfu-drain", "-rwxr-xr-x")
                .containsEntry(top + "/install.sh", "-rwxr-xr-x")
                .containsEntry(top + "/runtime/bin/java", "-rwxr-xr-x")
                .containsEntry(top + "/config/sfu.toml", "-rw-r--r--")
                .containsEntry(top + "/MANIFEST.sig", "-rw-r--r--");
        assertThat(modes.values()).allMatch(m -> m.startsWith("-") || m.startsWith("d"));
        List<String> files = modes.keySet().stream().filter(n -> !n.endsWith("/")).toList();
        assertThat(files).as("entries in sorted order").isSorted();
    }

    @Test
    void theSignatureAndSumsHoldForTheSitesKeyAsTheConsoleChecksThem() throws Exception {
        ReleaseManifest.verify(root, SigningKeys.readPublicKey(TestBundles.devPublicKey()));
        assertThat(root.resolve("VERSION")).hasContent(TestBundles.version());
    }

    @Test
    void theServerJarsAreExactlyWhatItsManifestNamesAndTheConfigIsTheServersOwn() throws IOException {
        Path jar = root.resolve("app/sfu-server.jar");
        assertThat(jar).hasSameBinaryContentAs(Path.of(TestBundles.property("sfu.server.jar")));
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> classPath = List.of(j.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+"));
            try (Stream<Path> libs = Files.list(root.resolve("app/lib"))) {
                assertThat(libs.map(p -> "lib/" + p.getFileName())).containsExactlyInAnyOrderElementsOf(classPath);
            }
            assertThat(Files.readAllBytes(root.resolve("config/sfu.toml")))
                    .isEqualTo(j.getInputStream(j.getJarEntry("sfu.toml")).readAllBytes());
        }
    }

    @Test
    void theRuntimeHasTheModulesTheServerNeedsAndNotTheWholeJdk() throws IOException {
        String release = Files.readString(root.resolve("runtime/release"));
        String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        assertThat(modules).contains("java.base", "jdk.unsupported", "jdk.management", "java.net.http", "jdk.jfr")
                .doesNotContain("jdk.compiler", "jdk.jshell", "java.xml.crypto", "jdk.jpackage");
        assertThat(root.resolve("runtime/include")).doesNotExist();
        assertThat(root.resolve("runtime/man")).doesNotExist();
    }

    @Test
    void theSysctlDropInRaisesTheSocketBuffersAsTheSeedsDo() throws IOException {
        List<String> settings = Files.readAllLines(root.resolve("sysctl/90-sfu-server.conf")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(settings).containsExactly("net.core.rmem_max = 16777216", "net.core.wmem_max = 16777216",
                "net.core.optmem_max = 16777216");
    }

    @Test
    void theSystemdUnitRestartsRaisesLimitsRunsAsItsUserReloadsAndLetsTheDrainFinish() throws IOException {
        String unit = Files.readString(root.resolve("systemd/sfu-server.service"));
        Map<String, String> keys = new LinkedHashMap<>();
        unit.lines().filter(l -> l.contains("=") && !l.startsWith("#")).forEach(l -> keys.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        assertThat(keys).containsEntry("Restart", "on-failure")
                .containsEntry("User", "sfu")
                .containsEntry("ExecReload", "/bin/kill -HUP $MAINPID")
                .containsEntry("ExecStop", "@PREFIX@/current/bin/sfu-drain")
                .containsEntry("ExecStart", "@PREFIX@/current/bin/sfu-server --config @PREFIX@/etc/sfu.toml");
        assertThat(Long.parseLong(keys.get("LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
        String drain = Files.readString(root.resolve("bin/sfu-drain"));
        assertThat(drain).contains("${SFU_DRAIN_GRACE_SECONDS:-600}");
        assertThat(Integer.parseInt(keys.get("TimeoutStopSec"))).as("room for the drain's 600 s and its 5 s margin")
                .isGreaterThan(605);
    }

    @Test
    void systemdAnalyzeRejectsABrokenUnitSoItsApprovalInTheInstallTestMeansSomething() throws IOException {
        Path bad = work.resolve("sfu-server.service");
        Files.writeString(bad, Files.readString(root.resolve("systemd/sfu-server.service"))
                .replace("@PREFIX@", "/nonexistent"));
        Result r = run(TIMEOUT, List.of("systemd-analyze", "verify", bad.toString()), Map.of(), null);
        assertThat(r.code()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("/nonexistent/current/bin/sfu-server");
    }
}
