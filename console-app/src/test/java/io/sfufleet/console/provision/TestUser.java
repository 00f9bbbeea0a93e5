package io.sfufleet.console.provision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A non-root OS user with a password and passwordless sudo, for the "non-root user with sudo" case.
 * Made only when the tests run as root with useradd and sudo present; removed again on close.
 */
public final class TestUser implements AutoCloseable {
    public static final String NAME = "sfuprovtest";
    private final String name;
    private final Path sudoers;
    private final String password;

    private TestUser(String name, String password) {
        this.name = name;
        this.sudoers = Path.of("/etc/sudoers.d/" + name);
        this.password = password;
    }

    public static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/useradd"))
                && Files.isExecutable(Path.of("/usr/bin/sudo")) && Files.isDirectory(Path.of("/etc/sudoers.d"));
    }

    public static TestUser create() throws Exception {
        return create(NAME);
    }

    /** A user of another name, for tests that may run while another one holds {@link #NAME}. */
    public static TestUser create(String name) throws Exception {
        Path sudoersFile = Path.of("/etc/sudoers.d/" + name);
        String password = "pw-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        if (!Files.readString(Path.of("/etc/passwd")).contains("\n" + name + ":")) {
            SshdHost.run(List.of("useradd", "-M", "-s", "/bin/sh", name));
        }
        Process p = new ProcessBuilder("chpasswd").start();
        p.getOutputStream().write((name + ":" + password + "\n").getBytes());
        p.getOutputStream().close();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("chpasswd failed");
        }
        Files.writeString(sudoersFile, name + " ALL=(ALL) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(sudoersFile, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        return new TestUser(name, password);
    }

    public String name() {
        return name;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws Exception {
        Files.deleteIfExists(sudoers);
        SshdHost.run(List.of("userdel", name));
    }
}
