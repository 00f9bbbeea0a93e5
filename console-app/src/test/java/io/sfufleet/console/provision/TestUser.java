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
    private static final Path SUDOERS = Path.of("/etc/sudoers.d/" + NAME);
    private final String password;

    private TestUser(String password) {
        this.password = password;
    }

    public static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/useradd"))
                && Files.isExecutable(Path.of("/usr/bin/sudo")) && Files.isDirectory(SUDOERS.getParent());
    }

    public static TestUser create() throws Exception {
        String password = "pw-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        if (!Files.readString(Path.of("/etc/passwd")).contains("\n" + NAME + ":")) {
            SshdHost.run(List.of("useradd", "-M", "-s", "/bin/sh", NAME));
        }
        Process p = new ProcessBuilder("chpasswd").start();
        p.getOutputStream().write((NAME + ":" + password + "\n").getBytes());
        p.getOutputStream().close();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("chpasswd failed");
        }
        Files.writeString(SUDOERS, NAME + " ALL=(ALL) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(SUDOERS, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        return new TestUser(password);
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws Exception {
        Files.deleteIfExists(SUDOERS);
        SshdHost.run(List.of("userdel", NAME));
    }
}
