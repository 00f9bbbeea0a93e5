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
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.SshConnector;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.ConfigStore;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.installers.TestBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * (optionally reached through a {@link CutProxy}, so a test can cut the SSH connection). Ports come
 * from {@link HostPorts}: free on the host's own address for what is bound there, each handed out once.
 * Closing it stops every node it saw in a PID file (by that PID), every proxy and sshd, and the database.
 */
public final class TestFleet implements AutoCloseable {
    static final String PASSPHRASE = "pass";
    /** Installs (and sshd starts) tried in all when a port is taken between its probe and its bind. */
    private static final int BIND_ATTEMPTS = 3;
    private static final String PORT_TAKEN = "Address already in use";

    final Path dir;
    ConsoleDatabase db;
    final Inventory inventory;
    final AuditLog audit;
    final HostService hosts;
    final OkHttpClient http = NodeClient.newHttpClient();
    final HostPorts ports = new HostPorts();
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
        return nodeSpec(name, address);
    }

    /**
     * A node on {@code address} (bound there, API there, advertised there) on ports free there: the
     * media port for UDP and TCP, the client and API ports for TCP.
     */
    NodeSpec nodeSpec(String name, String address) {
        return new NodeSpec(name, address, ports.udpAndTcp(address), ports.tcp(address), ports.tcp(address), address,
                address);
    }

    /**
     * The real bundle (v1) installed and started on each host, one after the other, through the given
     * console's services: the starting point of the rollout tests. Returns the specs the nodes run with
     * (see {@link #onFreePorts}).
     */
    List<NodeSpec> installBundle(HostService service, Installer installer, List<NodeSpec> specs) throws Exception {
        List<NodeSpec> installed = new ArrayList<>();
        for (NodeSpec spec : specs) {
            installed.add(onFreePorts(spec, sp -> {
                try (HostSession s = service.connect(sp.nodeName())) {
                    installer.install(s, TestBundles.bundle(), TestBundles.devPublicKey(), sp,
                            Installer.Progress.none());
                }
            }));
        }
        return installed;
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
        SshdHost sshd = startSshd(name, address);
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

        /** The same host, its node on the ports of {@code installed} (what an install returned). */
        CuttableHost withSpec(NodeSpec installed) {
            return new CuttableHost(installed, prefix, proxy);
        }
    }

    /** As {@link #host(String, String)}, with the console's SSH connections going through a {@link CutProxy}. */
    CuttableHost cuttableHost(String name, String address) throws Exception {
        SshdHost sshd = startSshd(name, address);
        CutProxy proxy = CutProxy.start(address, new java.net.InetSocketAddress(address, sshd.port()));
        proxies.add(proxy);
        Path key = SshdHost.keygen(dir.resolve("id-" + name), "ed25519", "");
        sshd.authorize("root", key);
        Path prefix = dir.resolve("prefix-" + name);
        prefixes.put(name, prefix);
        hosts.add(new HostStore.NewHost(name, address, proxy.port(), "root", HostAuth.KEY, key.toString(), null,
                prefix.toString()));
        hosts.trust(name, sshd.fingerprint(), false);
        return new CuttableHost(nodeSpec(name, address), prefix, proxy);
    }

    /**
     * The sshd of host {@code name} listening on {@code address}, on a port free there; on a new port if
     * that one was taken before sshd bound it.
     */
    private SshdHost startSshd(String name, String address) throws Exception {
        for (int attempt = 1; ; attempt++) {
            SshdHost sshd = SshdHost.create(dir.resolve("sshd-" + name + (attempt == 1 ? "" : "-" + attempt)),
                    address, ports.tcp(address));
            try {
                sshd.start();
                sshds.add(sshd);
                return sshd;
            } catch (IllegalStateException e) {
                if (attempt == BIND_ATTEMPTS || !String.valueOf(e.getMessage()).contains(PORT_TAKEN)) {
                    throw e;
                }
            }
        }
    }

    /** An install of the node of {@code spec.nodeName()} with the ports of {@code spec}. */
    @FunctionalInterface
    interface Install {
        void run(NodeSpec spec) throws Exception;
    }

    /**
     * Runs {@code install} with {@code spec}; when the node could not bind one of its ports (taken
     * between the probe and the bind by something outside the fleet: its log says "Address already in
     * use"), again with new ports, {@value #BIND_ATTEMPTS} times in all. Any other failure is thrown as
     * it is. Returns the spec the node runs with, which tests must use from then on.
     */
    NodeSpec onFreePorts(NodeSpec spec, Install install) throws Exception {
        Path log = prefix(spec.nodeName()).resolve("log/sfu-server.log");
        for (int attempt = 1; ; attempt++) {
            long before = Files.exists(log) ? Files.size(log) : 0;
            try {
                install.run(spec);
                return spec;
            } catch (ProvisionException e) {
                if (attempt == BIND_ATTEMPTS || !loggedSince(log, before).contains(PORT_TAKEN)) {
                    throw e;
                }
                spec = new NodeSpec(spec.nodeName(), spec.bindAddress(), ports.udpAndTcp(spec.bindAddress()),
                        ports.tcp(spec.bindAddress()), ports.tcp(spec.apiListenAddress()), spec.apiListenAddress(),
                        spec.publicAddress(), spec.tlsCertFile(), spec.tlsKeyFile());
            }
        }
    }

    /** What the node's log got after its first {@code offset} bytes. */
    private static String loggedSince(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
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
     * config with the spec over it, recorded as written (for drift). Returns the spec the node runs
     * with (see {@link #onFreePorts}).
     */
    public NodeSpec install(String name, NodeSpec spec) throws Exception {
        ConfigService configs = configs(Duration.ofMinutes(3));
        return onFreePorts(spec, sp -> {
            NodeConfig config = configs.forInstall(name, sp);
            try (HostSession s = hosts.connect(name)) {
                installer(Duration.ofMinutes(3)).install(s, TestBundles.bundle(), TestBundles.devPublicKey(), sp,
                        config.toml(), Installer.Progress.none());
            }
            configs.recordInstalled(name, config);
        });
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
        return nodeSpec(name, address);
    }

    /** As {@link #install(String, NodeSpec)}, with that console's services (recorded in its database). */
    NodeSpec installIn(io.sfufleet.console.ui.Provisioning p, String name, NodeSpec spec) throws Exception {
        ConfigService configs = p.configs();
        return onFreePorts(spec, sp -> {
            NodeConfig config = configs.forInstall(name, sp);
            try (HostSession s = p.hosts().connect(name)) {
                p.installer().install(s, TestBundles.bundle(), TestBundles.devPublicKey(), sp, config.toml(),
                        Installer.Progress.none());
            }
            configs.recordInstalled(name, config);
        });
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
