package io.sfufleet.installers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the installers tests share: the bundle the build made (paths come from the pom as system
 * properties), running commands with a deadline, and running them as an unprivileged user.
 *
 * <p>When the tests run as root (CI does), install.sh and the node run as the system user
 * {@value #USER}, created here if missing, through {@code setpriv}: the issue asks for a non-root
 * install, and root would hide permission mistakes.
 */
public final class TestBundles {
    public static final String USER = "sfu-install-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestBundles() {
    }

    public static Path bundle() {
        Path p = Path.of(property("sfu.bundle"));
        assertThat(p).as("the bundle the build made before the tests").isRegularFile();
        return p;
    }

    public static Path devPublicKey() {
        return Path.of(property("sfu.dev.public.key"));
    }

    public static String version() {
        return property("sfu.version");
    }

    public static String property(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven (installers/pom.xml)");
        }
        return v;
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command run as {@value #USER} when this JVM is root, else as it is. */
    public static List<String> asUser(List<String> command) {
        if (!root()) {
            return command;
        }
        ensureUser();
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups", "--"));
        out.addAll(command);
        return out;
    }

    /** Makes dir (recursively) the unprivileged user's, so it can write there. */
    public static void giveToUser(Path dir) {
        if (root()) {
            ensureUser();
            Result r = run(Duration.ofSeconds(60), List.of("chown", "-R", USER + ":" + USER, dir.toString()), Map.of(), null);
            assertThat(r.code()).as("chown %s: %s", dir, r.output()).isZero();
        }
    }

    private static synchronized void ensureUser() {
        if (run(Duration.ofSeconds(10), List.of("id", "-u", USER), Map.of(), null).code() != 0) {
            Result r = run(Duration.ofSeconds(30), List.of("useradd", "--system", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", USER), Map.of(), null);
            assertThat(r.code()).as("useradd: %s", r.output()).isZero();
        }
    }

    public record Result(int code, String output) {
    }

    /**
     * Runs a command with exactly the environment given (nothing inherited), stdout and stderr
     * together; fails the test if it does not end within the timeout.
     */
    public static Result run(Duration timeout, List<String> command, Map<String, String> env, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Path log = Files.createTempFile("sfu-installers-test-", ".log");
            try {
                pb.redirectOutput(log.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A change to an unpacked bundle tree, before it is signed and packed. */
    public interface TreeChange {
        void apply(Path tree) throws IOException;
    }

    /**
     * The real bundle as another version: unpacked into {@code dir}, VERSION and the server jar's
     * Implementation-Version (what the node reports in its API) set to {@code version}, then
     * {@code change} applied, signed with the build's dev key and packed as
     * {@code dir/sfu-server-VERSION-linux-x64.tar.gz}. Properly signed, so only running it can tell
     * a broken one.
     */
    public static Path asVersion(Path dir, String version, TreeChange change) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + version));
        Result r = run(Duration.ofMinutes(3), List.of("tar", "-xzf", bundle().toString(), "-C", src.toString()),
                Map.of(), null);
        assertThat(r.code()).as(r.output()).isZero();
        Path tree = src.resolve("sfu-server-" + version());
        Files.writeString(tree.resolve("VERSION"), version + "\n", StandardCharsets.US_ASCII);
        setJarVersion(tree.resolve("app/sfu-server.jar"), version);
        change.apply(tree);
        io.sfufleet.release.ReleaseManifest.sign(tree,
                io.sfufleet.release.SigningKeys.readPrivateKey(Path.of(property("sfu.release.key"))));
        Path out = dir.resolve("sfu-server-" + version + "-linux-x64.tar.gz");
        io.sfufleet.installers.tools.TarGz.write(tree, "sfu-server-" + version,
                java.time.Instant.parse(property("sfu.timestamp")), out, 1);
        run(Duration.ofMinutes(1), List.of("rm", "-rf", src.toString()), Map.of(), null);
        return out;
    }

    /** Rewrites a jar with its manifest's Implementation-Version changed, every entry kept. */
    private static void setJarVersion(Path jar, String version) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".new");
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest m = new java.util.jar.Manifest(in.getManifest());
            m.getMainAttributes().put(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION, version);
            try (java.util.jar.JarOutputStream o = new java.util.jar.JarOutputStream(Files.newOutputStream(out), m)) {
                for (var e = in.entries(); e.hasMoreElements(); ) {
                    java.util.jar.JarEntry entry = e.nextElement();
                    if (entry.getName().equalsIgnoreCase(java.util.jar.JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    o.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    try (var is = in.getInputStream(entry)) {
                        is.transferTo(o);
                    }
                    o.closeEntry();
                }
            }
        }
        Files.move(out, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** GET on the node's admin API at 127.0.0.1; the status code, or -1 while nothing answers. */
    public static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static String get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Polls /readyz every 20 ms until 200; returns the milliseconds from {@code startNanos}.
     * Fails if the process dies or the deadline passes.
     */
    public static long awaitReady(Process node, int apiPort, long startNanos, Duration timeout, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status(apiPort, "/readyz") == 200) {
                return (System.nanoTime() - startNanos) / 1_000_000;
            }
            if (!node.isAlive()) {
                throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no 200 from /readyz within " + timeout + ":\n" + Files.readString(log));
    }

    /** A directory with only the few tools the launcher uses, so that no java can be found on PATH. */
    public static Path pathWithoutJava(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("path-without-java"));
        for (String tool : List.of("dirname", "readlink", "sh")) {
            Path target = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(target) ? target : Path.of("/bin", tool));
        }
        return bin;
    }

    /** Stops a node: SIGTERM, then waits up to 30 s. */
    public static void stop(Process node) throws InterruptedException {
        if (node == null) {
            return;
        }
        node.destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
