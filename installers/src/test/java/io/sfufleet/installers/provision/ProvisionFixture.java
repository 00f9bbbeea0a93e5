package io.sfufleet.installers.provision;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshConnector;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * What the provisioning tests share: a console database with a passphrase, the host service over
 * real sshd "hosts" on loopback addresses (each with its own install prefix), an HTTP client. On
 * close, nodes started under those prefixes are stopped by the PIDs in their PID files, then the
 * sshd processes.
 */
final class ProvisionFixture implements AutoCloseable {
    final Path tmp;
    ConsoleDatabase db;
    final Inventory inventory;
    final AuditLog audit;
    final HostService hosts;
    final OkHttpClient http;
    final List<SshdHost> sshds = new ArrayList<>();
    final List<Path> prefixes = new ArrayList<>();

    ProvisionFixture(Path tmp) {
        this.tmp = tmp;
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        inventory = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inventory, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(120)), audit);
        http = NodeClient.newHttpClient();
    }

    /** A trusted host {@code name} on {@code address} (root login with a new ed25519 key) and its node's spec. */
    NodeSpec host(String name, String address) throws Exception {
        SshdHost sshd = SshdHost.create(tmp.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        sshds.add(sshd);
        Path key = SshdHost.keygen(tmp.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Path prefix = tmp.resolve("prefix-" + name);
        prefixes.add(prefix);
        hosts.add(new HostStore.NewHost(name, address, sshd.port(), "root", HostAuth.KEY, key.toString(), null,
                prefix.toString()));
        hosts.trust(name, sshd.fingerprint(), false);
        return new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
    }

    Installer installer() {
        return new Installer(inventory, audit, http, Duration.ofMinutes(3));
    }

    /** Closes the database early (for a test that then runs the CLI on the same file). */
    void closeDatabase() {
        db.close();
        db = null;
    }

    /**
     * ready includes "CPU not overloaded", which a node just started on a busy machine may not be for a
     * moment; a node being restarted does not answer at all for a while.
     */
    static boolean readyWithin(NodeClient client, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.nodeInfo().ready()) {
                    return true;
                }
            } catch (io.sfufleet.console.node.NodeUnreachableException starting) {
                // not listening yet: try again until the deadline
            }
            Thread.sleep(250);
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        for (Path p : prefixes) {
            Path pid = p.resolve("run/sfu-server.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
        }
        for (SshdHost s : sshds) {
            s.close();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        if (db != null) {
            db.close();
        }
    }
}
