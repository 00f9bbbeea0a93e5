package io.sfufleet.installers.provision;

import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshConnector;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.ConfigStore;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.installers.TestBundles;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * What the provisioning tests share: a console database with inventory and audit, the host service,
 * and "hosts" that are real sshd daemons on loopback addresses, each with its own install prefix.
 * Closing stops the nodes by the PIDs in their PID files, then the daemons.
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
    final Map<String, Path> prefixByHost = new LinkedHashMap<>();

    private ProvisionFixture(Path tmp) {
        this.tmp = tmp;
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        inventory = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inventory, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(120)), audit);
        http = NodeClient.newHttpClient();
    }

    static ProvisionFixture open(Path tmp) {
        return new ProvisionFixture(tmp);
    }

    /** A trusted host on {@code address} with its own sshd, root key login and prefix; the spec of its node. */
    NodeSpec host(String name, String address) throws Exception {
        SshdHost sshd = SshdHost.create(tmp.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        sshds.add(sshd);
        Path key = SshdHost.keygen(tmp.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Path prefix = tmp.resolve("prefix-" + name);
        prefixes.add(prefix);
        prefixByHost.put(name, prefix);
        hosts.add(new HostStore.NewHost(name, address, sshd.port(), "root", HostAuth.KEY, key.toString(), null,
                prefix.toString()));
        hosts.trust(name, sshd.fingerprint(), false);
        return new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
    }

    Installer installer() {
        return installer(Duration.ofMinutes(3));
    }

    Installer installer(Duration readyTimeout) {
        return new Installer(inventory, audit, http, readyTimeout);
    }

    /** The config service as the CLI builds it. */
    ConfigService configs(Duration readyTimeout) {
        return new ConfigService(hosts, new ConfigStore(db, Clock.systemUTC()), inventory, audit,
                installer(readyTimeout), new NodeActions(audit, Clock.systemUTC()), http);
    }

    /**
     * Installs the real bundle on {@code name} the way sfu-console install does: the host's desired
     * config with the spec over it, recorded as written (for drift).
     */
    void install(String name, NodeSpec spec) throws Exception {
        ConfigService configs = configs(Duration.ofMinutes(3));
        NodeConfig config = configs.forInstall(name, spec);
        try (HostSession s = hosts.connect(name)) {
            installer().install(s, TestBundles.bundle(), TestBundles.devPublicKey(), spec, config.toml(),
                    Installer.Progress.none());
        }
        configs.recordInstalled(name, config);
    }

    /** The node's PID from its PID file. */
    long pid(String host) throws Exception {
        return Long.parseLong(Files.readString(prefixByHost.get(host).resolve("run/sfu-server.pid")).strip());
    }

    /** Closes the database, e.g. before a CLI run opens it. */
    void closeDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
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
        closeDatabase();
    }
}
