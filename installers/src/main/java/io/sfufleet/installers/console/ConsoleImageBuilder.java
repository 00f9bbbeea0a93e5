package io.sfufleet.installers.console;

import io.sfufleet.installers.tools.JdkTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Packages console-app with jpackage: an app image {@code sfu-console/} with a trimmed runtime,
 * and a {@code .deb} of it where {@code dpkg-deb} and {@code fakeroot} are installed.
 *
 * <p>The input is console-app.jar with exactly the jars its manifest Class-Path names (JavaFX
 * among them, as class-path jars: the launcher class is not an Application, see ConsoleLauncher),
 * and the launcher runs the jar's manifest Main-Class, so this build names no console class.
 */
public final class ConsoleImageBuilder {
    public static final String NAME = "sfu-console";
    /**
     * Added to what jdeps finds: java.desktop for javafx-swing's image export (jdeps reports only
     * jdk.unsupported.desktop, which needs it), jdk.unsupported for JavaFX's and Netty's Unsafe use.
     */
    static final List<String> EXTRA_MODULES = List.of("java.desktop", "jdk.unsupported");
    /** The deb's dependencies jpackage does not find itself (../shared/TOOLCHAIN.md): GTK 3 and OpenGL for JavaFX. */
    static final String DEB_DEPENDS = "libgtk-3-0, libgl1";

    private ConsoleImageBuilder() {
    }

    /** jpackage's versions are one to three numbers: 0.1.0-SNAPSHOT packages as 0.1.0. */
    static String packageVersion(String version) {
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+){0,2})").matcher(version);
        if (!m.find()) {
            throw new IllegalArgumentException("version '" + version + "' does not start with a number");
        }
        return m.group(1);
    }

    /** Builds the image (and the deb when it can); returns the image directory. */
    public static Path build(Path consoleJar, String version, Path workDir, Path outputDir) throws IOException {
        long started = System.nanoTime();
        Path input = workDir.resolve("console-input");
        deleteTree(input);
        deleteTree(outputDir);
        Files.createDirectories(input.resolve("lib"));
        Files.createDirectories(outputDir);
        List<Path> jars = new ArrayList<>();
        try (JarFile jar = new JarFile(consoleJar.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            if (main.getValue(Attributes.Name.MAIN_CLASS) == null || main.getValue(Attributes.Name.CLASS_PATH) == null) {
                throw new IOException(consoleJar + " has no Main-Class or Class-Path in its manifest");
            }
            for (String entry : main.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+")) {
                Path lib = consoleJar.resolveSibling(entry);
                if (!entry.startsWith("lib/") || !Files.isRegularFile(lib)) {
                    throw new IOException(consoleJar + " needs " + entry + ", which is not at " + lib + " (build console-app first)");
                }
                jars.add(lib);
                Files.copy(lib, input.resolve(entry));
            }
        }
        Files.copy(consoleJar, input.resolve("console-app.jar"));

        Set<String> modules = new TreeSet<>(Arrays.asList(JdkTool.run("jdeps", List.of("--print-module-deps",
                "--ignore-missing-deps", "--multi-release", String.valueOf(Runtime.version().feature()), "--class-path",
                String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()), consoleJar.toString()))
                .trim().split(",")));
        modules.addAll(EXTRA_MODULES);
        String pkgVersion = packageVersion(version);
        JdkTool.runProcess("jpackage", List.of("--type", "app-image", "--name", NAME, "--app-version", pkgVersion,
                "--vendor", "sfu-fleet", "--description", "sfu-fleet console: installs, configures and watches SFU nodes",
                "--input", input.toString(), "--main-jar", "console-app.jar",
                "--add-modules", String.join(",", modules),
                // JavaFX and SQLite load native code.
                "--java-options", "--enable-native-access=ALL-UNNAMED",
                "--java-options", "--sun-misc-unsafe-memory-access=allow",
                // What the 100-node scale benchmark measured within 400 MB RSS (docs/benchmarks.md,
                // "Console at fleet scale"); the JVM's defaults grew past 1 GB on a 24 GB machine.
                "--java-options", "-XX:+UseSerialGC",
                "--java-options", "-Xmx128m",
                "--java-options", "-XX:TieredStopAtLevel=1",
                // Keeps bin/java in the runtime: the tests run it (a few hundred kB).
                "--jlink-options", "--strip-debug --no-header-files --no-man-pages",
                "--dest", outputDir.toString()));
        Path image = outputDir.resolve(NAME);
        System.out.printf("console app image %s: modules %s, built in %.1f s%n", image, String.join(",", modules),
                (System.nanoTime() - started) / 1e9);

        if (onPath("dpkg-deb") && onPath("fakeroot")) {
            long debStarted = System.nanoTime();
            JdkTool.runProcess("jpackage", List.of("--type", "deb", "--name", NAME, "--app-version", pkgVersion,
                    "--vendor", "sfu-fleet", "--app-image", image.toString(),
                    "--linux-package-name", NAME, "--linux-package-deps", DEB_DEPENDS,
                    "--linux-app-category", "net", "--linux-menu-group", "Network",
                    "--dest", outputDir.toString()),
                    // dpkg-deb's default xz took 260 s for this 120 MB image on the shared build
                    // machine; gzip takes seconds, for a deb about 15% larger.
                    Map.of("DPKG_DEB_COMPRESSOR_TYPE", "gzip", "DPKG_DEB_COMPRESSOR_LEVEL", "6"));
            System.out.printf("console deb in %s, built in %.1f s%n", outputDir, (System.nanoTime() - debStarted) / 1e9);
        } else {
            System.out.println("console deb skipped: dpkg-deb and fakeroot are not both installed (apt-get install fakeroot)");
        }
        return image;
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code ConsoleImageBuilder CONSOLE_JAR VERSION WORK_DIR OUTPUT_DIR}, as the installers pom runs it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ConsoleImageBuilder CONSOLE_JAR VERSION WORK_DIR OUTPUT_DIR");
        }
        build(Path.of(args[0]).toAbsolutePath(), args[1], Path.of(args[2]).toAbsolutePath(), Path.of(args[3]).toAbsolutePath());
    }
}
