package io.sfufleet.installers.console;

import static io.sfufleet.installers.TestBundles.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sfufleet.installers.TestBundles;
import io.sfufleet.installers.TestBundles.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's jpackage image (target/console/sfu-console) and its .deb, run with no Java on the host's PATH. */
class ConsoleImageTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final Path dir = Path.of(TestBundles.property("sfu.console.dir"));
    private final Path image = dir.resolve(ConsoleImageBuilder.NAME);

    @TempDir
    Path home;

    @Test
    void theImageRunsTheJarsOwnMainClassWithItsOwnRuntime() throws Exception {
        assertThat(image.resolve("bin/sfu-console")).isExecutable();
        String cfg = Files.readString(image.resolve("lib/app/sfu-console.cfg"));
        assertThat(cfg).contains("app.mainjar=$APPDIR/console-app.jar").doesNotContain("app.mainclass");
        try (JarFile jar = new JarFile(image.resolve("lib/app/console-app.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)).isNotBlank();
        }
        assertThat(image.resolve("lib/app/console-app.jar")).hasSameBinaryContentAs(Path.of(TestBundles.property("sfu.console.jar")));
        String modules = Files.readString(image.resolve("lib/runtime/release")).lines()
                .filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        assertThat(modules).contains("java.sql", "java.desktop", "jdk.unsupported").doesNotContain("jdk.compiler", "jdk.jpackage");

        // The CLI side of the launcher: no java on PATH, no JAVA_HOME.
        Result help = run(TIMEOUT, List.of(image.resolve("bin/sfu-console").toString(), "--help"),
                Map.of("PATH", "/nonexistent", "HOME", home.toString()), home);
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: sfu-console");
    }

    @Test
    void theWindowStartsUnderAnXServerAndStaysUp() throws Exception {
        if (!ConsoleImageBuilder.onPath("xvfb-run")) {
            fail("the console window test needs xvfb-run: apt-get install -y xvfb xauth libgtk-3-0 libgl1 (see .ci/run)");
        }
        Path db = home.resolve("console.db");
        Path log = home.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                image.resolve("bin/sfu-console").toString(), "--db=" + db)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString()));
        Process p = pb.start();
        try {
            // Up for 10 s after its database appeared (the app opens it when the window starts) and
            // no exception on the way: the JavaFX runtime and the GTK glass work from the image.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long upSince = 0;
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    fail("the console exited with " + p.exitValue() + ":\n" + Files.readString(log));
                }
                if (upSince == 0 && Files.exists(db)) {
                    upSince = System.nanoTime();
                }
                if (upSince != 0 && System.nanoTime() - upSince > Duration.ofSeconds(10).toNanos()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(upSince).as("the console opened its database: %s", Files.readString(log)).isPositive();
            assertThat(Files.readString(log)).doesNotContain("Exception").doesNotContain("Error:");
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theDebDependsOnGtkAndOpenGlAndInstallsTheImage() throws Exception {
        Path deb = dir.resolve("sfu-console_" + ConsoleImageBuilder.packageVersion(TestBundles.version()) + "_amd64.deb");
        if (!ConsoleImageBuilder.onPath("dpkg-deb") || !ConsoleImageBuilder.onPath("fakeroot")) {
            assertThat(deb).as("no deb without dpkg-deb and fakeroot").doesNotExist();
            return;
        }
        assertThat(deb).isRegularFile();
        Result depends = run(TIMEOUT, List.of("dpkg-deb", "-f", deb.toString(), "Depends"), Map.of(), null);
        assertThat(depends.code()).as(depends.output()).isZero();
        assertThat(depends.output()).contains("libgtk-3-0").contains("libgl1");
        Result contents = run(TIMEOUT, List.of("dpkg-deb", "-c", deb.toString()), Map.of(), null);
        assertThat(contents.output()).contains("./opt/sfu-console/bin/sfu-console", "./opt/sfu-console/lib/app/console-app.jar");
    }

    @Test
    void packageVersionsAreNumbersOnly() {
        assertThat(ConsoleImageBuilder.packageVersion("0.1.0-SNAPSHOT")).isEqualTo("0.1.0");
        assertThat(ConsoleImageBuilder.packageVersion("2.3")).isEqualTo("2.3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsoleImageBuilder.packageVersion("dev"))
                .hasMessageContaining("does not start with a number");
    }
}
