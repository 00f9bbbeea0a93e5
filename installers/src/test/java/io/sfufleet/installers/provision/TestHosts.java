package io.sfufleet.installers.provision;

import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The provisioning tests' "hosts": a real sshd per host on its loopback address with root's key
 * authorized and its own install prefix under {@code dir}. {@link #close} stops the nodes installed
 * there by the PIDs in their PID files, then the sshds.
 */
final class TestHosts implements AutoCloseable {
    /** One host: its sshd, the private key root logs in with, and its install prefix. */
    record Host(String name, SshdHost sshd, Path key, Path prefix) {
        String address() {
            return sshd.address();
        }
    }

    private final Path dir;
    private final List<Host> hosts = new ArrayList<>();

    TestHosts(Path dir) {
        this.dir = dir;
    }

    Host start(String name, String address) throws Exception {
        SshdHost sshd = SshdHost.create(dir.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        Path key = SshdHost.keygen(dir.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Host h = new Host(name, sshd, key, dir.resolve("prefix-" + name));
        hosts.add(h);
        return h;
    }

    List<Host> all() {
        return hosts;
    }

    @Override
    public void close() throws Exception {
        for (Host h : hosts) {
            stopNode(h.prefix());
        }
        for (Host h : hosts) {
            h.sshd().close();
        }
    }

    /** Stops the node of the PID file under {@code prefix}, if it runs. */
    static void stopNode(Path prefix) throws Exception {
        Path pid = prefix.resolve("run/sfu-server.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(h -> {
                h.destroy();
                h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        }
    }
}
