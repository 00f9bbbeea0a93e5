package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.config.ConfigDiff;
import io.sfufleet.console.provision.config.ConfigRefusedException;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.ConfigService.Outcome;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.config.ConfigKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config pushes to nodes installed from the real bundle on real sshd hosts (127.0.10.x): a hot key is
 * applied by a reload in the same process, a restart key by a restart, a bad value is refused before
 * anything reaches the host, a node that cannot start with the new file gets the old one back, a file
 * edited behind the console's back is drift, and three hosts are pushed to at once.
 */
class ConfigPushTest {
    private static final Duration READY = Duration.ofMinutes(3);

    @TempDir
    Path tmp;
    private TestFleet f;

    @BeforeEach
    void setUp() {
        f = TestFleet.onSshd(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestFleet.closeIfMade(f);
    }

    @Test
    void hotKeysReloadRestartKeysRestartBadValuesAreRefusedAndDriftIsFlagged() throws Exception {
        NodeSpec spec = f.install("edge-a", f.host("edge-a", "127.0.10.1"));
        ConfigService configs = f.configs(READY);
        Path file = f.prefix("edge-a").resolve("etc/sfu.toml");
        assertThat(configs.diff("edge-a").isEmpty()).as("the install wrote the model's file").isTrue();

        // a hot key: written, reloaded by the same process, and the API shows the new value
        long pid = f.nodePid("edge-a");
        configs.set("edge-a", List.of("limits.max_calls=7"));
        assertThat(configs.diff("edge-a").changes()).extracting(ConfigDiff.Change::toString)
                .containsExactly("limits.max_calls: 1000 -> 7");
        List<String> stages = Collections.synchronizedList(new ArrayList<>());
        ConfigService.PushResult hot = configs.push(List.of("edge-a"), 1, (h, s) -> stages.add(s)).getFirst();
        assertThat(hot.outcome()).as(hot.message()).isEqualTo(Outcome.RELOADED);
        assertThat(hot.message()).isEqualTo("reloaded, applied limits.max_calls");
        assertThat(stages).containsExactly("connect", "read", "check on host", "write", "reload", "done");
        assertThat(f.nodePid("edge-a")).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(client("edge-a").nodeInfo().capacity().maxCalls()).isEqualTo(7);
        assertThat(Files.readString(file)).contains("max_calls = 7");
        assertThat(Files.readString(file.resolveSibling("sfu.toml.prev"))).contains("max_calls = 1000");

        // pushed again: nothing to do, nothing written
        assertThat(configs.push(List.of("edge-a"), 1, ConfigService.PushProgress.none()).getFirst().outcome())
                .isEqualTo(Outcome.UNCHANGED);

        // a restart key: a new process, ready, with the new media port
        int udp = f.ports.udpAndTcp("127.0.10.1");
        configs.set("edge-a", List.of("media.udp_port=" + udp));
        ConfigService.PushResult restart = configs.push(List.of("edge-a"), 1, ConfigService.PushProgress.none())
                .getFirst();
        assertThat(restart.outcome()).as(restart.message()).isEqualTo(Outcome.RESTARTED);
        assertThat(restart.diff().needsRestart()).isTrue();
        assertThat(f.nodePid("edge-a")).isNotEqualTo(pid);
        NodeInfo info = readyInfo(client("edge-a"));
        assertThat(info.mediaPort()).isEqualTo(udp);
        assertThat(info.capacity().maxCalls()).isEqualTo(7);

        // a bad value: refused with the key, the value and the reason; nothing stored, the host file untouched
        String onHost = Files.readString(file);
        assertThatThrownBy(() -> configs.set("edge-a", List.of("limits.max_calls=0")))
                .isInstanceOf(ConfigRefusedException.class)
                .hasMessageContaining("limits.max_calls = 0: out of range").hasMessageContaining("1..100000");
        assertThat(configs.desired("edge-a").value(ConfigKey.LIMITS_MAX_CALLS)).isEqualTo(7L);
        assertThat(configs.push(List.of("edge-a"), 1, ConfigService.PushProgress.none()).getFirst().outcome())
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(Files.readString(file)).isEqualTo(onHost);

        // a file the node cannot start with (its client port is taken): the node exits at once and the
        // push says so then, naming the port, rather than after the ready timeout (3 minutes); the old
        // file is back and serving
        long pidBefore = f.nodePid("edge-a");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.10.1"))) {
            configs.set("edge-a", List.of("http.port=" + taken.getLocalPort()));
            long t0 = System.nanoTime();
            ConfigService.PushResult failed = configs.push(List.of("edge-a"), 1, ConfigService.PushProgress.none())
                    .getFirst();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(failed.message()).startsWith("the node did not get ready with the new config: the node on edge-a"
                    + " exited during start: client HTTP port 127.0.10.1:" + taken.getLocalPort() + " (http.port) is in"
                    + " use (Address already in use)")
                    .contains("the previous sfu.toml is back, and the node runs and is ready with it again");
            // the restart with the old file and its ready wait included
            assertThat(took).isLessThan(READY.dividedBy(3));
            System.out.println("a push whose node could not bind its port failed and was put back in "
                    + took.toMillis() + " ms");
        }
        assertThat(Files.readString(file)).isEqualTo(onHost);
        assertThat(f.nodePid("edge-a")).isNotEqualTo(pidBefore);
        assertThat(readyInfo(client("edge-a")).mediaPort()).isEqualTo(udp);
        configs.set("edge-a", List.of("http.port=" + spec.httpPort()));

        // drift: the file edited over SSH is flagged with the key-level diff
        try (HostSession s = f.hosts.connect("edge-a")) {
            s.exec("sed -i 's/^max_calls = 7$/max_calls = 9/' " + file, Duration.ofSeconds(30)).require();
        }
        ConfigService.DriftReport drift = configs.drift(List.of("edge-a")).getFirst();
        assertThat(drift.status()).isEqualTo(ConfigService.DriftStatus.DRIFTED);
        assertThat(drift.diff().changes()).extracting(ConfigDiff.Change::toString)
                .containsExactly("limits.max_calls: 9 -> 7");

        List<String> audited = f.audit.latest(100).stream().map(e -> e.action() + " " + e.result()).toList();
        assertThat(audited).anyMatch(a -> a.startsWith("config.push ok: reloaded"))
                .anyMatch(a -> a.startsWith("config.push ok: restarted"))
                .anyMatch(a -> a.startsWith("config.push ok: unchanged"))
                .anyMatch(a -> a.startsWith("config.push error: the node did not get ready"))
                .anyMatch(a -> a.startsWith("config.set error:"))
                .anyMatch(a -> a.startsWith("config.drift ok: drifted"));

        // the same through sfu-console: drift exits 1 with the diff, push puts the console's file back
        f.closeDatabase();
        Cli drifted = cli("config", "drift", "edge-a");
        assertThat(drifted.code).as(drifted.toString()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(drifted.out).contains("edge-a: drifted").contains("limits.max_calls: console wrote 7, host has 9");
        Cli bad = cli("config", "set", "edge-a", "limits.max_calls=-1");
        assertThat(bad.code).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(bad.err).contains("limits.max_calls = -1: out of range");
        Cli push = cli("config", "push", "edge-a");
        assertThat(push.code).as(push.toString()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(push.out).contains("edge-a: reload").contains("reloaded");
        Cli clean = cli("config", "drift");
        assertThat(clean.code).as(clean.toString()).isEqualTo(ConsoleCli.EXIT_OK);
        assertThat(clean.out).contains("edge-a: in sync");
        assertThat(f.nodePid("edge-a")).isNotEqualTo(pid);
    }

    @Test
    void threeHostsArePushedToInParallel() throws Exception {
        List<String> names = List.of("edge-b", "edge-c", "edge-d");
        for (int i = 0; i < names.size(); i++) {
            f.install(names.get(i), f.host(names.get(i), "127.0.10." + (2 + i)));
        }
        ConfigService configs = f.configs(READY);
        for (String n : names) {
            configs.set(n, List.of("limits.max_participants_per_call=42"));
        }
        Set<String> inFlight = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<ConfigService.PushResult> results = configs.push(names, 3, (host, stage) -> {
            events.add(host + " " + stage);
            if (stage.equals("connect")) {
                inFlight.add(host);
                mostAtOnce.accumulateAndGet(inFlight.size(), Math::max);
            } else if (stage.equals("done") || stage.equals("failed")) {
                inFlight.remove(host);
            }
        });
        assertThat(results).extracting(ConfigService.PushResult::host).containsExactlyElementsOf(names);
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.RELOADED));
        for (String n : names) {
            assertThat(events).containsSubsequence(n + " connect", n + " write", n + " reload", n + " done");
            assertThat(client(n).nodeInfo().capacity().maxParticipantsPerCall()).isEqualTo(42);
        }
        // each push is an SSH login, a read, a write and an HTTP reload: hundreds of ms, so three
        // workers overlap; one at a time would mean the pool is not used
        assertThat(mostAtOnce.get()).as(events.toString()).isGreaterThanOrEqualTo(2);
    }

    private NodeClient client(String host) {
        NodeEntry n = f.inventory.require(host);
        return new NodeClient(f.http, NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
    }

    /** ready includes "CPU not overloaded", which a node just started on a busy machine may not be for a moment. */
    private static NodeInfo readyInfo(NodeClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        NodeInfo info = client.nodeInfo();
        while (!info.ready() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            info = client.nodeInfo();
        }
        assertThat(info.ready()).as("ready within 60 s").isTrue();
        return info;
    }

    private record Cli(int code, String out, String err) {
    }

    private Cli cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new ConsoleCli(Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(),
                "SFU_CONSOLE_PASSPHRASE", "pass"), "tester", Clock.systemUTC(), f.http)
                .run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }
}
