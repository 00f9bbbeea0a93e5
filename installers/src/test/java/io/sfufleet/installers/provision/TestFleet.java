package io.sfufleet.installers.provision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The provisioning tests' console and hosts: a console database with a passphrase, a host service,
 * and "hosts" that are real sshd processes on loopback addresses, each with its own install prefix
 * (optionally reached through a {@link CutProxy}, so a test can cut the SSH connection). Closing it
 * stops every node it saw in a PID file (by that PID), every proxy and sshd, and the database.
 */
public final class TestFleet implements AutoCloseable {
    static final String PASSPHRASE = "pass";

    final Path dir;
    ConsoleDatabase db;
    final Inventory inventory;
    final AuditLog audit;
    final HostService hosts;
    final OkHttpClient http = NodeClient.newHttpClient();
    private final List<SshdHost> sshds = new ArrayList<>();
    private final List<CutProxy> proxies = new ArrayList<>();
    private final Map<String, Path> prefixes = new LinkedHashMap<>();
    private final List<Long> nodePids = new ArrayList<>();

    public TestFleet(Path dir) {
        this.dir = dir;
        db = ConsoleDatabase.open(dir.resolve("console.db"));
        inventory = Inventory.open(db, PASSPHRASE.toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inventory, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(120)), audit);
    }

    /**
     * The fleet of a test on real sshd hosts, in {@code dir}; the test is skipped (an assumption, not
     * a failure) where openssh-server is not installed.
     */
    static TestFleet onSshd(Path dir) {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        return new TestFleet(dir);
    }

    /** Closes {@code fleet} if the test's set-up got as far as making it (for an @AfterEach). */
    static void closeIfMade(TestFleet fleet) throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A trusted host logging in as root with an ed25519 key; the spec of a node on free ports there. */
    public NodeSpec host(String name, String address) throws Exception {
        return host(name, address, "");
    }

    /** As {@link #host(String, String)}, with a key protected by {@code passphrase} (stored, sealed). */
    NodeSpec host(String name, String address, String passphrase) throws Exception {
        return host(hosts, name, address, passphrase);
    }

    /**
     * As {@link #host(String, String, String)}, stored and trusted in another console's host service
     * (a console under test with its own database, as the GUI tests have).
     */
    NodeSpec host(HostService service, String name, String address, String passphrase) throws Exception {
        Bare h = bareHost(name, address, passphrase);
        service.add(new HostStore.NewHost(name, address, h.sshd().port(), "root", HostAuth.KEY, h.key().toString(),
                passphrase.isEmpty() ? null : passphrase, h.prefix().toString()));
        service.trust(name, h.sshd().fingerprint(), false);
        return new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
    }

    /**
     * The real bundle (v1) installed and started on each host, one after the other, through the given
     * console's services: the starting point of the rollout tests.
     */
    static void installBundle(HostService service, Installer installer, List<NodeSpec> specs) {
        for (NodeSpec spec : specs) {
            try (io.sfufleet.console.provision.HostSession s = service.connect(spec.nodeName())) {
                installer.install(s, io.sfufleet.installers.TestBundles.bundle(),
                        io.sfufleet.installers.TestBundles.devPublicKey(), spec, Installer.Progress.none());
            }
        }
    }

    /** A host not yet in the console: its sshd, the key root logs in with, its install prefix. */
    record Bare(SshdHost sshd, Path key, Path prefix) {
        String address() {
            return sshd.address();
        }
    }

    /**
     * A running sshd with root's key authorized and nothing stored in the console (the GUI wizard
     * adds it); its prefix's node is stopped by {@link #close} like the others.
     */
    Bare bareHost(String name, String address, String passphrase) throws Exception {
        SshdHost sshd = SshdHost.create(dir.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        sshds.add(sshd);
        Path key = SshdHost.keygen(dir.resolve("id-" + name), "ed25519", passphrase);
        sshd.authorize("root", key);
        Path prefix = dir.resolve("prefix-" + name);
        prefixes.put(name, prefix);
        return new Bare(sshd, key, prefix);
    }

    /** A host the console reaches through a proxy that can drop the connection. */
    record CuttableHost(NodeSpec spec, Path prefix, CutProxy proxy) {
        String name() {
            return spec.nodeName();
        }
    }

    /** As {@link #host(String, String)}, with the console's SSH connections going through a {@link CutProxy}. */
    CuttableHost cuttableHost(String name, String address) throws Exception {
        SshdHost sshd = SshdHost.create(dir.resolve("sshd-" + name), address, FreePorts.tcp()).start();
        sshds.add(sshd);
        CutProxy proxy = CutProxy.start(address, new java.net.InetSocketAddress(address, sshd.port()));
        proxies.add(proxy);
        Path key = SshdHost.keygen(dir.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Path prefix = dir.resolve("prefix-" + name);
        prefixes.put(name, prefix);
        hosts.add(new HostStore.NewHost(name, address, proxy.port(), "root", HostAuth.KEY, key.toString(), null,
                prefix.toString()));
        hosts.trust(name, sshd.fingerprint(), false);
        NodeSpec spec = new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
        return new CuttableHost(spec, prefix, proxy);
    }

    /** The node's API client, with the token the inventory holds for it. */
    public NodeClient client(String node) {
        var n = inventory.require(node);
        return new NodeClient(http, NodeClient.parseBaseUrl(n.apiUrl()), n.token(),
                io.sfufleet.console.node.ApiJson.newMapper());
    }

    Path prefix(String name) {
        return prefixes.get(name);
    }

    List<Path> prefixes() {
        return List.copyOf(prefixes.values());
    }

    Installer installer(Duration readyTimeout) {
        return new Installer(inventory, audit, http, readyTimeout);
    }

    /** The config service as sfu-console config builds it. */
    public ConfigService configs(Duration readyTimeout) {
        return new ConfigService(hosts, new ConfigStore(db, Clock.systemUTC()), inventory, audit,
                installer(readyTimeout), new NodeActions(audit, Clock.systemUTC()), http);
    }

    /**
     * Installs the real bundle on {@code name} the way sfu-console install does: the host's desired
     * config with the spec over it, recorded as written (for drift).
     */
    public void install(String name, NodeSpec spec) throws Exception {
        ConfigService configs = configs(Duration.ofMinutes(3));
        NodeConfig config = configs.forInstall(name, spec);
        try (HostSession s = hosts.connect(name)) {
            installer(Duration.ofMinutes(3)).install(s, TestBundles.bundle(), TestBundles.devPublicKey(), spec,
                    config.toml(), Installer.Progress.none());
        }
        configs.recordInstalled(name, config);
    }

    /**
     * A host in another console's services (a GUI test's {@code Provisioning}, on its own database):
     * a bare host added and trusted there, and the spec of a node on free ports.
     */
    NodeSpec hostIn(io.sfufleet.console.ui.Provisioning p, String name, String address) throws Exception {
        Bare h = bareHost(name, address, "");
        p.hosts().add(new HostStore.NewHost(name, address, h.sshd().port(), "root", HostAuth.KEY, h.key().toString(),
                null, h.prefix().toString()));
        p.hosts().trust(name, h.sshd().fingerprint(), false);
        return new NodeSpec(name, address, FreePorts.udp(), FreePorts.tcp(), FreePorts.tcp(), address, address);
    }

    /** As {@link #install(String, NodeSpec)}, with that console's services (recorded in its database). */
    void installIn(io.sfufleet.console.ui.Provisioning p, String name, NodeSpec spec) throws Exception {
        ConfigService configs = p.configs();
        NodeConfig config = configs.forInstall(name, spec);
        try (HostSession s = p.hosts().connect(name)) {
            p.installer().install(s, TestBundles.bundle(), TestBundles.devPublicKey(), spec, config.toml(),
                    Installer.Progress.none());
        }
        configs.recordInstalled(name, config);
    }

    /** The PID in the host's PID file, remembered so that close() stops it even if the file goes. */
    long nodePid(String name) throws Exception {
        long pid = Long.parseLong(Files.readString(prefix(name).resolve("run/sfu-server.pid")).strip());
        nodePids.add(pid);
        return pid;
    }

    /** Closes the database, for a CLI run on the same file. */
    void closeDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    @Override
    public void close() throws Exception {
        List<Long> pids = new ArrayList<>(nodePids);
        for (Path p : prefixes.values()) {
            Path pid = p.resolve("run/sfu-server.pid");
            if (Files.exists(pid)) {
                pids.add(Long.parseLong(Files.readString(pid).strip()));
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
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
