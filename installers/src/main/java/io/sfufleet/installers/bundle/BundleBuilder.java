package io.sfufleet.installers.bundle;

import io.sfufleet.installers.tools.JdkTool;
import io.sfufleet.installers.tools.TarGz;
import io.sfufleet.release.ReleaseManifest;
import io.sfufleet.release.SigningKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Builds {@code sfu-server-<version>-linux-x64.tar.gz}: everything a Linux x86_64 host without
 * Java needs to run a node, under one top directory {@code sfu-server-<version>/}:
 *
 * <pre>
 * VERSION              the version, signed with the rest
 * install.sh           verifies a bundle with openssl and sha256sum, installs, switches, rolls back
 * bin/sfu-server       launcher: the bundled runtime, the flags the server needs
 * runtime/             jlink image of only the modules jdeps finds (plus {@link #EXTRA_MODULES})
 * app/sfu-server.jar   with app/lib/: exactly the jars its manifest Class-Path names
 * config/sfu.toml      the server's own commented default configuration, taken from its jar
 * systemd/, sysctl/    the unit (with @PREFIX@ filled in by install.sh) and the kernel tunings
 * MANIFEST, MANIFEST.sig   SHA-256 of every file, Ed25519-signed
 * </pre>
 *
 * <p>Each step's output depends only on its inputs (jlink's output was checked to be identical
 * across runs on this JDK; the jars are built with the fixed project.build.outputTimestamp; the
 * archive has sorted entries and one timestamp; Ed25519 is deterministic), so the same sources
 * give the same bytes. {@code BundleBuilderReproducibleTest} checks that.
 */
public final class BundleBuilder {
    /**
     * Modules added to what jdeps reports. Netty and JNA reach sun.misc.Unsafe (jdk.unsupported)
     * partly by reflection; jdeps sees it today through their direct references, and listing it
     * here keeps a library update from silently dropping it.
     */
    static final List<String> EXTRA_MODULES = List.of("jdk.unsupported");

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

    /** What a bundle is made of; every path absolute. */
    public record Spec(Path serverJar, Path templates, Path signingKey, String version, Instant timestamp,
                       Path workDir, Path outputDir) {
        public Spec {
            if (!VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("version '" + version + "' must match " + VERSION);
            }
        }

        public String fileName() {
            return "sfu-server-" + version + "-linux-x64.tar.gz";
        }

        public String topDir() {
            return "sfu-server-" + version;
        }
    }

    private BundleBuilder() {
    }

    /** Builds the bundle and returns the path of the .tar.gz. */
    public static Path build(Spec spec) throws IOException {
        long started = System.nanoTime();
        Ed25519PrivateKeyParameters key = SigningKeys.readPrivateKey(spec.signingKey());
        List<Path> jars = serverJars(spec.serverJar());
        Path stage = spec.workDir().resolve(spec.topDir());
        deleteTree(stage);
        Files.createDirectories(stage.resolve("app/lib"));

        String modules = modules(jars);
        // No jimage compression (--compress): gzip over the whole archive compresses the
        // uncompressed modules file better (bundle 59 MB instead of 67 MB here), and the JVM maps
        // it without inflating classes at start. Installed, the runtime is 96 MB instead of 64.
        JdkTool.runProcess("jlink", List.of("--add-modules", modules, "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", stage.resolve("runtime").toString()));
        replaceLinksWithCopies(stage.resolve("runtime"));

        Files.copy(spec.serverJar(), stage.resolve("app/sfu-server.jar"));
        for (Path lib : jars.subList(1, jars.size())) {
            Files.copy(lib, stage.resolve("app/lib").resolve(lib.getFileName()));
        }
        Files.createDirectories(stage.resolve("config"));
        try (JarFile jar = new JarFile(spec.serverJar().toFile());
             InputStream toml = jar.getInputStream(requireEntry(jar, "sfu.toml"))) {
            Files.copy(toml, stage.resolve("config/sfu.toml"));
        }
        copyTree(spec.templates(), stage);
        Files.writeString(stage.resolve("VERSION"), spec.version() + "\n", StandardCharsets.US_ASCII);
        ReleaseManifest.sign(stage, key);

        Files.createDirectories(spec.outputDir());
        Path out = spec.outputDir().resolve(spec.fileName());
        TarGz.write(stage, spec.topDir(), spec.timestamp(), out);
        System.out.printf("bundle %s: %.1f MB, modules %s, built in %.1f s%n", out, Files.size(out) / 1e6, modules,
                (System.nanoTime() - started) / 1e9);
        return out;
    }

    /** The server jar first, then every jar its manifest Class-Path names (what `java -jar` would load). */
    static List<Path> serverJars(Path serverJar) throws IOException {
        if (!Files.isRegularFile(serverJar)) {
            throw new IOException("no server jar at " + serverJar + ": build sfu-server first (./mvnw package -pl installers -am)");
        }
        List<Path> jars = new ArrayList<>(List.of(serverJar));
        try (JarFile jar = new JarFile(serverJar.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null || jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS) == null) {
                throw new IOException(serverJar + " has no Main-Class or Class-Path in its manifest");
            }
            for (String entry : classPath.trim().split("\\s+")) {
                Path lib = serverJar.resolveSibling(entry);
                if (!entry.startsWith("lib/") || !Files.isRegularFile(lib)) {
                    throw new IOException(serverJar + " needs " + entry + ", which is not at " + lib);
                }
                jars.add(lib);
            }
        }
        return jars;
    }

    /** jdeps over the server's jars, plus {@link #EXTRA_MODULES}, sorted (so jlink's input is stable). */
    static String modules(List<Path> jars) {
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps", "--multi-release",
                String.valueOf(Runtime.version().feature()), "--class-path"));
        args.add(String.join(java.io.File.pathSeparator, jars.subList(1, jars.size()).stream().map(Path::toString).toList()));
        args.add(jars.getFirst().toString());
        Set<String> modules = new TreeSet<>(Arrays.asList(JdkTool.run("jdeps", args).trim().split(",")));
        modules.addAll(EXTRA_MODULES);
        return String.join(",", modules);
    }

    /**
     * jlink links each module's legal notices to java.base's copies. The bundle carries only files
     * and directories (install.sh refuses links, which could point outside the release), so the
     * links become copies of what they point to.
     */
    private static void replaceLinksWithCopies(Path tree) throws IOException {
        List<Path> links;
        try (Stream<Path> walk = Files.walk(tree)) {
            links = walk.filter(Files::isSymbolicLink).toList();
        }
        for (Path link : links) {
            Path target = link.toRealPath();
            if (!target.startsWith(tree.toRealPath()) || !Files.isRegularFile(target)) {
                throw new IOException("jlink made a link that leaves the runtime or is not a file: " + link + " -> " + target);
            }
            Files.delete(link);
            Files.copy(target, link, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static java.util.jar.JarEntry requireEntry(JarFile jar, String name) throws IOException {
        java.util.jar.JarEntry e = jar.getJarEntry(name);
        if (e == null) {
            throw new IOException(jar.getName() + " has no " + name);
        }
        return e;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    // COPY_ATTRIBUTES keeps the executable bit of bin/* and install.sh.
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * {@code BundleBuilder serverJar templatesDir signingKey version timestamp workDir outputDir}, as the
     * installers pom runs it (exec-maven-plugin, before the tests).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: BundleBuilder SERVER_JAR TEMPLATES SIGNING_KEY VERSION TIMESTAMP WORK_DIR OUTPUT_DIR");
        }
        build(new Spec(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(),
                Path.of(args[2]).toAbsolutePath(), args[3], Instant.parse(args[4]), Path.of(args[5]).toAbsolutePath(),
                Path.of(args[6]).toAbsolutePath()));
    }
}
