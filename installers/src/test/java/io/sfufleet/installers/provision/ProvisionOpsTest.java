package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.logs.LogTail;
import io.sfufleet.console.provision.support.Redactor;
import io.sfufleet.console.provision.support.SupportBundle;
import io.sfufleet.console.provision.uninstall.Uninstaller;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.installers.TestBundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's second day, on a node installed from the real signed bundle over real sshd (127.0.40.2
 * and .3, supervised since there is no systemd here): its log, last lines and followed; a support
 * bundle with no secret in it; uninstall, then uninstall again. Nodes are stopped by their PIDs.
 */
class ProvisionOpsTest {
    private static final Duration T = Duration.ofSeconds(90);
    private static final String KEY_PASSPHRASE = "ssh key passphrase 9f3c";

    @TempDir
    Path tmp;
    private TestFleet fleet;

    @BeforeEach
    void setUp() {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        fleet = new TestFleet(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void logsSupportBundleAndUninstallOfAnInstalledNode() throws Exception {
        NodeSpec spec = fleet.host("ops-a", "127.0.40.2", KEY_PASSPHRASE);
        Installer.Result installed;
        try (HostSession s = fleet.hosts.connect("ops-a")) {
            installed = fleet.installer(Duration.ofMinutes(3)).install(s, TestBundles.bundle(),
                    TestBundles.devPublicKey(), spec, Installer.Progress.none());
        }
        long pid = fleet.nodePid("ops-a");
        Path prefix = fleet.prefix("ops-a");
        NodeEntry node = fleet.inventory.require("ops-a");
        NodeClient client = new NodeClient(fleet.http, NodeClient.parseBaseUrl(node.apiUrl()), node.token(),
                ApiJson.newMapper());

        // ---- logs: the start line among the last ones, then a line the node writes later
        List<String> last = new java.util.ArrayList<>();
        try (HostSession s = fleet.hosts.connect("ops-a"); LogTail.Tail tail = LogTail.open(s, 50, false)) {
            assertThat(tail.source().kind()).isEqualTo(LogTail.Kind.FILE);
            tail.forEach(last::add);
        }
        assertThat(last).anyMatch(l -> l.contains("sfu-server " + installed.version() + " running"));
        assertThat(last).hasSizeLessThanOrEqualTo(50);

        BlockingQueue<String> followed = new LinkedBlockingQueue<>();
        long delivered;
        try (HostSession s = fleet.hosts.connect("ops-a")) {
            LogTail.Tail tail = LogTail.open(s, 50, true);
            Thread reader = Thread.ofVirtual().start(() -> tail.forEach(followed::add));
            assertThat(waitFor(followed, "running", T)).as("the start line comes first").isTrue();
            client.reload();
            assertThat(waitFor(followed, "reloaded", T)).as("a line written after following began").isTrue();
            long t0 = System.nanoTime();
            tail.cancel();
            reader.join(T.toMillis());
            assertThat(reader.isAlive()).isFalse();
            delivered = (System.nanoTime() - t0) / 1_000_000;
        }
        // cancelling closed the channel, and the host's tail went with it
        assertThat(waitUntil(() -> ProcessHandle.allProcesses().noneMatch(h -> h.info().commandLine()
                .filter(c -> c.contains("tail") && c.contains("-F") && c.contains(prefix.toString())).isPresent()), T))
                .as("no tail -F left on the host").isTrue();
        System.out.println("log follow stopped " + delivered + " ms after cancel");

        // ---- support bundle: a secret leaked into the log must not leak into the bundle
        String envFile = Files.readString(prefix.resolve("etc/sfu-server.env"));
        String joinSecret = envValue(envFile, "SFU_AUTH_JOIN_TOKEN_SECRET");
        Files.writeString(prefix.resolve("log/sfu-server.log"), "debug: header Authorization: Bearer " + node.token()
                + " secret " + joinSecret + " pass " + KEY_PASSPHRASE + "\n", StandardOpenOption.APPEND);
        Path zip = tmp.resolve("out/support.zip");
        SupportBundle.Result bundle;
        try (HostSession s = fleet.hosts.connect("ops-a")) {
            bundle = new SupportBundle(fleet.inventory, fleet.audit, fleet.http, Clock.systemUTC()).write(s, zip);
        }
        Map<String, String> entries = unzip(zip);
        assertThat(bundle.failed()).as("sections that failed").isEmpty();
        assertThat(entries.keySet()).allMatch(n -> n.startsWith("sfu-support-ops-a-"));
        assertThat(entry(entries, "node/sfu.toml")).contains("udp_port = " + spec.mediaPort())
                .contains("port = " + spec.apiPort());
        assertThat(entry(entries, "node/versions.txt")).contains("current: releases/" + installed.version())
                .contains("(" + installed.version() + ")");
        assertThat(entry(entries, "node/sfu-server.env.txt")).contains("SFU_API_TOKEN=" + Redactor.MARK)
                .contains("SFU_AUTH_JOIN_TOKEN_SECRET=" + Redactor.MARK);
        assertThat(entry(entries, "logs/sfu-server.log")).contains("sfu-server " + installed.version() + " running")
                .contains("reloaded").contains("Bearer " + Redactor.MARK);
        assertThat(entry(entries, "api/node.json")).contains("\"version\" : \"" + installed.version() + "\"")
                .contains("\"nodeName\" : \"ops-a\"");
        assertThat(entry(entries, "api/health.txt")).contains("GET /livez -> 200").contains("GET /readyz -> ");
        assertThat(entry(entries, "api/calls.json")).isNotBlank();
        assertThat(entry(entries, "api/metrics.txt")).contains("GET /metrics -> 200").contains("# TYPE");
        assertThat(entry(entries, "host/preflight.txt")).contains("media port " + spec.mediaPort());
        assertThat(entry(entries, "host/uname.txt")).contains("Linux");
        assertThat(entry(entries, "host/os-release.txt")).contains("ID=");
        assertThat(entry(entries, "host/df.txt")).contains("Available");
        assertThat(entry(entries, "host/free.txt")).contains("Mem:");
        assertThat(entry(entries, "host/sysctl-net-core-mem.txt")).contains("net.core.rmem_max");
        assertThat(entry(entries, "host/listening.txt")).isNotBlank();
        for (String secret : List.of(node.token(), joinSecret, KEY_PASSPHRASE)) {
            assertThat(secret).hasSizeGreaterThan(10);
            entries.forEach((name, text) -> assertThat(text).as(name).doesNotContain(secret));
        }
        AuditEntry audited = fleet.audit.latest(1).getFirst();
        assertThat(audited.action()).isEqualTo("support.bundle");
        assertThat(audited.result()).startsWith("ok: " + entries.size() + " entries");

        // ---- uninstall: nothing left running or on disk, gone from the fleet; then again, a no-op
        Uninstaller.Result r;
        try (HostSession s = fleet.hosts.connect("ops-a")) {
            r = new Uninstaller(fleet.inventory, fleet.audit).uninstall(s, false);
        }
        assertThat(r.nothingInstalled()).isFalse();
        assertThat(r.stopped()).isTrue();
        assertThat(r.removedFromInventory()).isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(portsFree(spec)).isTrue();
        assertThat(prefix).doesNotExist();
        assertThat(fleet.inventory.find("ops-a")).isEmpty();
        assertThat(fleet.hosts.require("ops-a").trusted()).as("the host stays, for a new install").isTrue();

        try (HostSession s = fleet.hosts.connect("ops-a")) {
            Uninstaller.Result again = new Uninstaller(fleet.inventory, fleet.audit).uninstall(s, false);
            assertThat(again.nothingInstalled()).isTrue();
            assertThat(again.removed()).isEmpty();
        }
        List<AuditEntry> two = fleet.audit.latest(2);
        assertThat(two).extracting(AuditEntry::action).containsOnly("provision.uninstall");
        // oldest first: the real uninstall, then the one that found nothing
        assertThat(two.get(0).result()).startsWith("ok: stopped, removed ");
        assertThat(two.get(1).result()).isEqualTo("ok: nothing installed");
    }

    @Test
    void theCommandsOnAHostWithoutANodeSayThereIsNothing() throws Exception {
        NodeSpec spec = fleet.host("ops-b", "127.0.40.3");
        Path prefix = fleet.prefix("ops-b");
        try (HostSession s = fleet.hosts.connect("ops-b")) {
            assertThatThrownBy(() -> LogTail.open(s, 10, false)).isInstanceOf(ProvisionException.class)
                    .hasMessageContaining("no log on ops-b yet").hasMessageContaining(prefix + "/log/sfu-server.log")
                    .hasMessageContaining("sfu-console install ops-b");
            assertThatThrownBy(() -> LogTail.open(s, LogTail.MAX_LINES + 1, false))
                    .isInstanceOf(IllegalArgumentException.class);
            // every section that cannot be had is in the zip as its error; the host facts still are
            SupportBundle.Result r = new SupportBundle(fleet.inventory, fleet.audit, fleet.http, Clock.systemUTC())
                    .write(s, tmp.resolve("empty.zip"));
            assertThat(r.failed()).containsKeys("node/sfu.toml", "logs/sfu-server.log", "api/node.json");
            Map<String, String> entries = unzip(tmp.resolve("empty.zip"));
            assertThat(entry(entries, "logs/sfu-server.log.error.txt")).contains("no log on ops-b yet");
            assertThat(entry(entries, "api/node.json.error.txt")).contains("not in the console's inventory");
            assertThat(entry(entries, "host/uname.txt")).contains("Linux");
        }

        // through the CLI: no --yes is refused, then there is nothing to remove; logs says there is none
        fleet.closeDatabase();
        Run noYes = cli("uninstall", "ops-b");
        assertThat(noYes.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(noYes.err()).contains("add --yes");
        Run nothing = cli("uninstall", "ops-b", "--yes");
        assertThat(nothing.code()).as(nothing.err()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(nothing.out()).contains("nothing installed under " + prefix);
        Run logs = cli("logs", "ops-b", "-n", "20");
        assertThat(logs.code()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(logs.err()).contains("no log on ops-b yet");
        Run bundle = cli("support-bundle", "ops-b", "-o", tmp.resolve("cli.zip").toString());
        assertThat(bundle.code()).as(bundle.err()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(bundle.out()).contains("wrote " + tmp.resolve("cli.zip")).contains("not collected: node/sfu.toml");
        assertThat(tmp.resolve("cli.zip")).exists();
        assertThat(spec.apiPort()).isPositive();
    }

    @Test
    void theCommandLineTailsBundlesAndUninstalls() throws Exception {
        NodeSpec spec = fleet.host("ops-c", "127.0.40.4");
        try (HostSession s = fleet.hosts.connect("ops-c")) {
            fleet.installer(Duration.ofMinutes(3)).install(s, TestBundles.bundle(), TestBundles.devPublicKey(), spec,
                    Installer.Progress.none());
        }
        long pid = fleet.nodePid("ops-c");
        fleet.closeDatabase();
        Run logs = cli("logs", "ops-c", "-n", "30");
        assertThat(logs.code()).as(logs.err()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(logs.out()).contains("running; browser client");
        Run bundle = cli("support-bundle", "ops-c", "-o", tmp.resolve("c.zip").toString());
        assertThat(bundle.code()).as(bundle.err()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(bundle.out()).doesNotContain("not collected");
        Run gone = cli("uninstall", "ops-c", "--yes", "--keep-logs");
        assertThat(gone.code()).as(gone.err()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(gone.out()).contains("node stopped").contains("logs kept").contains("removed from the fleet");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(portsFree(spec)).isTrue();
        Path prefix = fleet.prefix("ops-c");
        try (var list = Files.list(prefix)) {
            assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("log");
        }
        assertThat(cli("uninstall", "ops-c", "--yes").out()).contains("no node was running")
                .contains("removed " + prefix + "/log");
        assertThat(prefix).doesNotExist();
        assertThat(cli("uninstall", "ops-c", "--yes").out()).contains("nothing installed");
        try (ConsoleDatabase db = ConsoleDatabase.open(tmp.resolve("console.db"))) {
            Inventory inv = Inventory.open(db, TestFleet.PASSPHRASE.toCharArray(), Clock.systemUTC());
            assertThat(inv.find("ops-c")).isEmpty();
            List<String> audited = new AuditLog(db, Clock.systemUTC(), "tester").latest(10).stream()
                    .map(e -> e.action() + " " + e.result().split(":")[0]).toList();
            assertThat(audited).contains("support.bundle ok", "provision.uninstall ok");
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new ConsoleCli(Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(), "SFU_CONSOLE_PASSPHRASE",
                TestFleet.PASSPHRASE), "tester", Clock.systemUTC(), fleet.http)
                .run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Nothing listens on the API port, and the media port can be bound again (UDP and TCP). */
    private static boolean portsFree(NodeSpec spec) throws Exception {
        return waitUntil(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(spec.apiListenAddress(), spec.apiPort()), 1000);
                return false;
            } catch (java.io.IOException refused) {
                // expected
            }
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(spec.bindAddress()),
                    spec.mediaPort())); java.net.ServerSocket t = new java.net.ServerSocket()) {
                t.bind(new InetSocketAddress(InetAddress.getByName(spec.bindAddress()), spec.mediaPort()));
                return u.isBound() && t.isBound();
            } catch (java.io.IOException inUse) {
                return false;
            }
        }, T);
    }

    private static String envValue(String env, String key) {
        return env.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow();
    }

    private static Map<String, String> unzip(Path zip) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> {
                try {
                    out.put(e.getName(), new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        return out;
    }

    private static String entry(Map<String, String> entries, String suffix) {
        return entries.entrySet().stream().filter(e -> e.getKey().endsWith("/" + suffix)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no entry " + suffix + " in " + entries.keySet()));
    }

    private static boolean waitFor(BlockingQueue<String> lines, String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null && l.contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier ok, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ok.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
