package io.sfufleet.console.provision;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test "host": a real OpenSSH {@code sshd} on its own loopback address and port, with its own host
 * key and authorized keys, started and stopped by PID (TOOLCHAIN.md, "SSH and systemd").
 */
public final class SshdHost implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    private final Path dir;
    private final String address;
    private final int port;
    private Process process;

    private SshdHost(Path dir, String address, int port) {
        this.dir = dir;
        this.address = address;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** Creates its host key and config in {@code dir} (started by {@link #start}). */
    public static SshdHost create(Path dir, String address, int port) throws Exception {
        Files.createDirectories(dir.resolve("authorized"));
        SshdHost h = new SshdHost(dir, address, port);
        keygen(dir.resolve("host_ed25519"), "ed25519", "");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress " + address + ":" + port,
                "HostKey " + dir.resolve("host_ed25519"),
                "AuthorizedKeysFile " + dir.resolve("authorized") + "/%u",
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "StrictModes no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "MaxStartups 50",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE", ""));
        return h;
    }

    /** A new key pair ({@code type} ed25519 or rsa), optionally with a passphrase; returns the private key. */
    public static Path keygen(Path file, String type, String passphrase) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase,
                "-C", "test", "-f", file.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "3072"));
        }
        run(cmd);
        return file;
    }

    /** Lets {@code user} log in with the public half of {@code privateKey}. */
    public void authorize(String user, Path privateKey) throws IOException {
        Path pub = Path.of(privateKey + ".pub");
        Files.writeString(dir.resolve("authorized").resolve(user), Files.readString(pub),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** The host key's fingerprint as ssh-keygen prints it on the host. */
    public String fingerprint() throws Exception {
        return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString()))
                .split(" ")[1];
    }

    /** Replaces the host key (a reinstalled host, or a man in the middle); restart to take effect. */
    public void newHostKey() throws Exception {
        Files.delete(dir.resolve("host_ed25519"));
        Files.delete(dir.resolve("host_ed25519.pub"));
        keygen(dir.resolve("host_ed25519"), "ed25519", "");
    }

    public SshdHost start() throws Exception {
        Files.createDirectories(Path.of("/run/sshd"));
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 1000);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("sshd on " + address + ":" + port + " did not listen within " + START_DEADLINE);
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /** Stops the listener and, since sessions are its children, every session it serves. */
    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            c.destroy();
        }
        process = null;
    }

    public static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
