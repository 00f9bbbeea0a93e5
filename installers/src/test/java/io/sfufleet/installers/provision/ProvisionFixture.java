package io.sfufleet.installers.provision;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * What the provisioning tests of the real bundle share: a console database with its inventory,
 * audit log and host service, and "hosts" that are each a real sshd on its own loopback address
 * with its own install prefix (optionally reached through a {@link CutProxy}, so a test can cut the
 * connection). Closing it stops the nodes the tests started (by the PIDs in their PID files), the
 * proxies and the sshds.
 */
final class ProvisionFixture implements AutoCloseable {
    final Path dir;
    ConsoleDatabase db;
    final Inventory inventory;
    final AuditLog audit;
    final HostService hosts;
    final OkHttpClient http = NodeClient.newHttpClient();
    private final List<SshdHost> sshds = new ArrayList<>();
    private final List<CutProxy> proxies = new ArrayList<>();
    final List<Path> prefixes = new ArrayList<>();

    /** A provisioned host: what to install there, its prefix, and the proxy in front of its sshd (or null). */
    record Host(NodeSpec spec, Path prefix, CutProxy proxy) {
        String name() {
            return spec.nodeName();
        }
    }

    ProvisionFixture(Path dir) {
        this.dir = dir;
        db = ConsoleDatabase.open(dir.resolve("console.db"));
        inventory = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inventory, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(120)), audit);
    }

    /** A host whose sshd the console reaches directly. */
    NodeSpec host(String name, String address) throws Exception {
        return host(name, address, false).spec();
    }

    /** A host; with {@code cuttable} the console reaches its sshd through a proxy that can drop the connection. */
    Host host(String name, String address, boolean cuttable) throws Exception {
        SshdHost sshd = SshdHost.create(dir.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        sshds.add(sshd);
        int port = sshd.port();
        CutProxy proxy = null;
        if (cuttable) {
            proxy = CutProxy.start(address, new InetSocketAddress(address, sshd.port()));
            proxies.add(proxy);
            port = proxy.port();
        }
        Path key = SshdHost.keygen(dir.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Path prefix = dir.resolve("prefix-" + name);
        prefixes.add(prefix);
        hosts.add(new HostStore.NewHost(name, address, port, "root", HostAuth.KEY, key.toString(), null,
                prefix.toString()));
        hosts.trust(name, sshd.fingerprint(), false);
        NodeSpec spec = new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
        return new Host(spec, prefix, proxy);
    }

    Installer installer(Duration readyTimeout) {
        return new Installer(inventory, audit, http, readyTimeout);
    }

    NodeClient client(String node) {
        NodeEntry n = inventory.require(node);
        return new NodeClient(http, NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
    }

    /** The PID in the host's PID file (the supervised node), or -1. */
    static long pid(Path prefix) throws java.io.IOException {
        Path pid = prefix.resolve("run/sfu-server.pid");
        return Files.exists(pid) ? Long.parseLong(Files.readString(pid).strip()) : -1;
    }

    /** Closes the database early (a test that then runs the CLI on the same file). */
    void closeDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    @Override
    public void close() throws Exception {
        for (Path p : prefixes) {
            long pid = pid(p);
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
        }
        for (CutProxy p : proxies) {
            p.close();
        }
        for (SshdHost s : sshds) {
            s.close();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        closeDatabase();
    }
}
