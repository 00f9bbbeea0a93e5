package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.rollout.Rollout;
import io.sfufleet.console.provision.rollout.RolloutListener;
import io.sfufleet.console.provision.rollout.RolloutPlan;
import io.sfufleet.console.provision.rollout.RolloutRefusedException;
import io.sfufleet.console.provision.rollout.RolloutResult;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.installers.TestBundles;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.release.SigningKeys;
import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade with the real bundle on two real sshd "hosts" (127.0.20.2 and 127.0.20.3, each
 * reached through a {@link CutProxy} so a test can cut the SSH connection), real nodes started
 * supervised, and a real call (the load tool's participants: ICE, DTLS, SRTP) on one of them. The
 * second version is the real bundle re-versioned and re-signed with the dev key.
 */
class RolloutTest {
    private static final String V2 = "9.0.0-rollout";
    private static final String A = "127.0.20.2";
    private static final String B = "127.0.20.3";

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

    private Rollout rollout(Duration readyTimeout) {
        return new Rollout(f.hosts, f.inventory, f.audit, f.http, readyTimeout, Clock.systemUTC());
    }

    /** Two hosts behind cut proxies, the real bundle (v1) installed and running on both. */
    private List<TestFleet.CuttableHost> twoNodesOnV1() throws Exception {
        List<TestFleet.CuttableHost> hosts = List.of(f.cuttableHost("edge-a", A), f.cuttableHost("edge-b", B));
        List<NodeSpec> specs = f.installBundle(f.hosts, f.installer(Duration.ofMinutes(3)),
                hosts.stream().map(TestFleet.CuttableHost::spec).toList());
        return List.of(hosts.get(0).withSpec(specs.get(0)), hosts.get(1).withSpec(specs.get(1)));
    }

    @Test
    void twoNodesUpgradedOneAtATimeWhileACallRunsOnTheFirst() throws Exception {
        List<TestFleet.CuttableHost> hosts = twoNodesOnV1();
        TestFleet.CuttableHost a = hosts.get(0);
        Path v2 = TestBundles.asVersion(tmp, V2, tree -> { });
        String v1 = TestBundles.version();

        // a call on edge-a: two participants sending audio and camera to each other through the node
        JoinTokens tokens = JoinTokens.forConfiguredSecret(env(a.prefix(), "SFU_AUTH_JOIN_TOKEN_SECRET"),
                Clock.systemUTC());
        URI url = URI.create("http://" + A + ":" + a.spec().httpPort());
        List<SyntheticParticipant> call = new ArrayList<>();
        Watch watch = new Watch(hosts);
        try {
            for (String who : List.of("alice", "bob")) {
                call.add(SyntheticParticipant.join(url, tokens.mint("upgrade-call", who, EnumSet.allOf(Permission.class),
                        Duration.ofMinutes(10), "rollout-test"), "upgrade-call", who, true, true, false));
            }
            watch.participants(call);
            watch.start();

            RolloutPlan plan = rollout(Duration.ofMinutes(3)).plan(v2, TestBundles.devPublicKey(),
                    List.of("edge-a", "edge-b"));
            assertThat(plan.target()).isEqualTo(V2);
            assertThat(plan.steps()).extracting(RolloutPlan.Step::host, RolloutPlan.Step::current, RolloutPlan.Step::skip)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-a", v1, false),
                            org.assertj.core.groups.Tuple.tuple("edge-b", v1, false));

            Duration deadline = Duration.ofSeconds(20);
            Recorder events = new Recorder();
            long t0 = System.nanoTime();
            RolloutResult result = rollout(Duration.ofMinutes(3)).run(plan, deadline, events);
            long totalMillis = (System.nanoTime() - t0) / 1_000_000;
            watch.stop();

            assertThat(result.nodes()).as(events.toString()).extracting(RolloutResult.NodeResult::status)
                    .containsExactly(RolloutResult.Status.UPGRADED, RolloutResult.Status.UPGRADED);
            assertThat(result.ok()).isTrue();

            // the call held edge-a until the drain deadline, and media kept flowing until close to it
            long drainedAt = events.at("edge-a", "wait");
            long switchedAt = events.at("edge-a", "switch");
            assertThat(Duration.ofNanos(switchedAt - drainedAt)).as("edge-a waited for its call")
                    .isGreaterThanOrEqualTo(deadline.minusSeconds(2));
            assertThat(events.maxCalls("edge-a")).isEqualTo(1);
            assertThat(Duration.ofNanos(watch.lastMedia.get() - drainedAt)).as("media received while draining")
                    .isGreaterThanOrEqualTo(deadline.minusSeconds(4));
            // edge-b had no calls: switched as soon as it was drained
            assertThat(Duration.ofNanos(events.at("edge-b", "switch") - events.at("edge-b", "wait")))
                    .isLessThan(Duration.ofSeconds(15));

            // each node went v1 -> v2 once, never back; never two nodes (two versions) per prefix at once
            assertThat(watch.versions.get("edge-a")).containsExactly(v1, V2);
            assertThat(watch.versions.get("edge-b")).containsExactly(v1, V2);
            assertThat(watch.maxProcesses).containsEntry("edge-a", 1).containsEntry("edge-b", 1);
            // the one-at-a-time order: edge-b was not touched before edge-a was done
            assertThat(events.at("edge-b", "connect")).isGreaterThan(events.at("edge-a", "done"));

            for (TestFleet.CuttableHost h : hosts) {
                NodeInfo info = f.client(h.name()).nodeInfo();
                assertThat(info.version()).isEqualTo(V2);
                assertThat(info.state()).isEqualTo(NodeState.running);
                assertThat(Files.readSymbolicLink(h.prefix().resolve("current"))).hasToString("releases/" + V2);
                assertThat(Files.readSymbolicLink(h.prefix().resolve("previous"))).hasToString("releases/" + v1);
                assertThat(h.prefix().resolve("incoming")).doesNotExist();
            }
            List<String> audited = f.audit.latest(100).stream().map(e -> e.node() + " " + e.action() + " "
                    + e.result().split(":")[0]).toList();
            assertThat(audited).contains("null rollout.plan ok", "null rollout.start ok", "edge-a drain ok",
                    "edge-a rollout.stage ok", "edge-a rollout.switch ok", "edge-a undrain ok", "edge-a rollout.node ok",
                    "edge-b rollout.node ok", "null rollout.end ok");

            long drainWaits = (switchedAt - drainedAt + events.at("edge-b", "switch") - events.at("edge-b", "wait"))
                    / 1_000_000;
            System.out.println("rolled out 2 nodes in " + totalMillis + " ms, of which " + drainWaits
                    + " ms waiting for drained calls: " + (totalMillis - drainWaits) + " ms without the drain wait; "
                    + "stages: " + events.timeline());
        } finally {
            watch.stop();
            call.forEach(SyntheticParticipant::close);
        }
    }

    @Test
    void aNewReleaseThatNeverBecomesReadyIsRolledBackAndTheRolloutStops() throws Exception {
        List<TestFleet.CuttableHost> hosts = twoNodesOnV1();
        TestFleet.CuttableHost a = hosts.get(0);
        TestFleet.CuttableHost b = hosts.get(1);
        String v1 = TestBundles.version();
        String broken = "9.0.1-broken";
        Path bundle = TestBundles.asVersion(tmp, broken, tree -> Files.writeString(tree.resolve("bin/sfu-server"),
                "#!/bin/sh\necho 'broken on purpose' >&2\nexit 1\n"));

        // the plan refuses, touching nothing, a bundle of another site and a host it does not know: both said
        Path otherKey = tmp.resolve("other-site.pub");
        SigningKeys.writePublicKey(SigningKeys.generate(new SecureRandom()).generatePublicKey(), otherKey);
        assertThatThrownBy(() -> rollout(Duration.ofSeconds(20)).plan(bundle, otherKey, List.of("edge-a", "edge-z")))
                .isInstanceOfSatisfying(RolloutRefusedException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("failed its signature check"))
                        .anySatisfy(p -> assertThat(p).startsWith("edge-z: ")));

        NodeClient ca = f.client("edge-a");
        NodeClient cb = f.client("edge-b");
        long pidB = pid(b.prefix());
        f.closeDatabase();

        // through sfu-console rollout: the plan, the progress, exit 1 with what failed and what to do
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new io.sfufleet.console.cli.ConsoleCli(Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(),
                "SFU_CONSOLE_PASSPHRASE", TestFleet.PASSPHRASE), "tester", Clock.systemUTC(), f.http)
                .run(new PrintWriter(out), new PrintWriter(err), "rollout", bundle.toString(), "--site-key",
                        TestBundles.devPublicKey().toString(), "--drain-deadline", "30s", "--ready-timeout", "20", "--yes",
                        "edge-a", "edge-b");
        assertThat(code).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).contains("1. edge-a (node edge-a): " + v1 + " -> " + broken,
                "2. edge-b (node edge-b): " + v1 + " -> " + broken, "edge-a: upload", "edge-a: drain",
                "edge-a: switch", "edge-a: rollback", "edge-a: FAILED, rolled back",
                "edge-b: not started (the rollout stopped)");
        assertThat(err.toString()).contains("edge-a: the upgrade to " + broken + " failed at ready",
                "exited during start", "broken on purpose", "rolled back to " + v1, "ready and taking calls again",
                "not touched: edge-b", "run the rollout again");

        // edge-a serves v1 again, not draining; edge-b was not touched at all
        assertThat(Files.readSymbolicLink(a.prefix().resolve("current"))).hasToString("releases/" + v1);
        NodeInfo infoA = ca.nodeInfo();
        assertThat(infoA.version()).isEqualTo(v1);
        assertThat(infoA.state()).isEqualTo(NodeState.running);
        assertThat(pid(b.prefix())).isEqualTo(pidB);
        assertThat(ProcessHandle.of(pidB).map(ProcessHandle::isAlive)).contains(true);
        assertThat(b.prefix().resolve("releases/" + broken)).doesNotExist();
        assertThat(cb.nodeInfo().version()).isEqualTo(v1);

        try (ConsoleDatabase db = ConsoleDatabase.open(tmp.resolve("console.db"))) {
            List<String> audited = new AuditLog(db, Clock.systemUTC(), "tester").latest(100).stream()
                    .map(e -> e.node() + " " + e.action() + " " + e.result().split(":")[0]).toList();
            assertThat(audited).contains("edge-a rollout.node error at ready", "edge-a rollout.rollback ok",
                    "edge-a undrain ok", "null rollout.end error").noneMatch(s -> s.startsWith("edge-b drain"));
        }
    }

    @Test
    void connectionCutsDuringUploadStagingAndDrainLeaveTheOldReleaseServing() throws Exception {
        List<TestFleet.CuttableHost> hosts = twoNodesOnV1();
        TestFleet.CuttableHost a = hosts.get(0);
        TestFleet.CuttableHost b = hosts.get(1);
        String v1 = TestBundles.version();
        Path v2 = TestBundles.asVersion(tmp, V2, tree -> { });
        long pidA = pid(a.prefix());
        long pidB = pid(b.prefix());

        // 1. a rollout whose SSH connection to edge-a is cut half way through the upload
        AtomicBoolean cut = new AtomicBoolean();
        RolloutPlan plan = rollout(Duration.ofMinutes(3)).plan(v2, TestBundles.devPublicKey(), List.of("edge-a", "edge-b"));
        RolloutResult r1 = rollout(Duration.ofMinutes(3)).run(plan, Duration.ofSeconds(30), new RolloutListener() {
            @Override
            public void uploaded(RolloutPlan.Step step, long bytes, long total) {
                if (bytes >= total / 2 && cut.compareAndSet(false, true)) {
                    assertThat(a.proxy().cut()).isPositive();
                }
            }
        });
        assertThat(cut).isTrue();
        assertThat(r1.nodes()).extracting(RolloutResult.NodeResult::status)
                .containsExactly(RolloutResult.Status.FAILED, RolloutResult.Status.NOT_STARTED);
        assertThat(r1.nodes().getFirst().message()).contains("failed at upload", "still on " + v1,
                "not touched: edge-b");
        assertServingV1(a, pidA);
        assertThat(a.prefix().resolve("incoming")).as("the half upload is cleaned up").doesNotExist();
        assertThat(a.prefix().resolve("releases/" + V2)).doesNotExist();
        assertServingV1(b, pidB);

        // 2. cut right after edge-a was drained: the switch cannot run; edge-a is undrained on its old release
        RolloutResult r2 = rollout(Duration.ofMinutes(3)).run(plan, Duration.ofSeconds(30), new RolloutListener() {
            @Override
            public void stage(RolloutPlan.Step step, String what) {
                if (what.equals("wait") && step.host().equals("edge-a")) {
                    assertThat(a.proxy().cut()).isPositive();
                }
            }
        });
        assertThat(r2.nodes()).extracting(RolloutResult.NodeResult::status)
                .containsExactly(RolloutResult.Status.FAILED, RolloutResult.Status.NOT_STARTED);
        assertThat(r2.nodes().getFirst().message()).contains("failed at switch", "still on " + v1,
                "current was not switched");
        assertServingV1(a, pidA);
        assertServingV1(b, pidB);
        List<String> audited = f.audit.latest(30).stream().map(e -> e.node() + " " + e.action() + " "
                + e.result().split(":")[0]).toList();
        assertThat(audited).contains("edge-a drain ok", "edge-a undrain ok", "edge-a rollout.node error at switch");

        // 3. a plain install on edge-b cut half way through the upload: v1 keeps serving, the next install works
        AtomicBoolean cutB = new AtomicBoolean();
        Installer installer = f.installer(Duration.ofMinutes(3));
        try (HostSession s = f.hosts.connect("edge-b")) {
            assertThatThrownBy(() -> installer.install(s, v2, TestBundles.devPublicKey(), b.spec(),
                    new Installer.Progress() {
                        @Override
                        public void stage(String what) {
                        }

                        @Override
                        public void uploaded(long bytes, long total) {
                            if (bytes >= total / 2 && cutB.compareAndSet(false, true)) {
                                b.proxy().cut();
                            }
                        }
                    })).isInstanceOf(ProvisionException.class).hasMessageContaining("uploading");
        }
        assertThat(cutB).isTrue();
        assertServingV1(b, pidB);
        try (Stream<Path> left = Files.list(b.prefix().resolve("incoming"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("only a .partial, never renamed")
                    .containsExactly(v2.getFileName() + ".partial");
        }
        try (HostSession s = f.hosts.connect("edge-b")) {
            Installer.Result again = installer.install(s, v2, TestBundles.devPublicKey(), b.spec(),
                    Installer.Progress.none());
            assertThat(again.uploaded()).isTrue();
            assertThat(again.version()).isEqualTo(V2);
        }
        assertThat(b.prefix().resolve("incoming")).doesNotExist();
        assertThat(f.client("edge-b").nodeInfo().version()).isEqualTo(V2);

        // 4. the same rollout again, nothing cut: edge-a upgraded (its earlier staged copy replaced), edge-b skipped
        RolloutPlan again = rollout(Duration.ofMinutes(3)).plan(v2, TestBundles.devPublicKey(), List.of("edge-a", "edge-b"));
        assertThat(again.steps()).extracting(RolloutPlan.Step::skip).containsExactly(false, true);
        RolloutResult r4 = rollout(Duration.ofMinutes(3)).run(again, Duration.ofSeconds(30), new RolloutListener() { });
        assertThat(r4.nodes()).extracting(RolloutResult.NodeResult::status)
                .containsExactly(RolloutResult.Status.UPGRADED, RolloutResult.Status.SKIPPED);
        assertThat(f.client("edge-a").nodeInfo().version()).isEqualTo(V2);
        assertThat(Files.readSymbolicLink(a.prefix().resolve("previous"))).hasToString("releases/" + v1);
    }

    /** The node on the host is the same process as before, on v1, running (not draining), current at v1. */
    private void assertServingV1(TestFleet.CuttableHost h, long pid) throws IOException {
        String v1 = TestBundles.version();
        assertThat(Files.readSymbolicLink(h.prefix().resolve("current"))).hasToString("releases/" + v1);
        assertThat(pid(h.prefix())).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        NodeInfo info = f.client(h.name()).nodeInfo();
        assertThat(info.version()).isEqualTo(v1);
        assertThat(info.state()).isEqualTo(NodeState.running);
    }

    /** The PID in the host's PID file (the supervised node). */
    private static long pid(Path prefix) throws IOException {
        return Long.parseLong(Files.readString(prefix.resolve("run/sfu-server.pid")).strip());
    }

    private static String env(Path prefix, String key) throws IOException {
        return Files.readAllLines(prefix.resolve("etc/sfu-server.env")).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow();
    }

    /** The rollout's events with their times, per host. */
    private static final class Recorder implements RolloutListener {
        private final List<String> log = new CopyOnWriteArrayList<>();
        private final List<String> timeline = new CopyOnWriteArrayList<>();
        private final long start = System.nanoTime();
        private final Map<String, Long> times = new ConcurrentHashMap<>();
        private final Map<String, Integer> calls = new ConcurrentHashMap<>();

        @Override
        public void stage(RolloutPlan.Step step, String what) {
            times.putIfAbsent(step.host() + " " + what, System.nanoTime());
            log.add(step.host() + " " + what);
            timeline.add(step.host() + " " + what + " +" + (System.nanoTime() - start) / 1_000_000 + " ms");
        }

        @Override
        public void waitingForCalls(RolloutPlan.Step step, int n, int participants, java.time.Instant deadline) {
            calls.merge(step.host(), n, Math::max);
            log.add(step.host() + " calls " + n);
        }

        @Override
        public void done(RolloutPlan.Step step, Duration took) {
            times.put(step.host() + " done", System.nanoTime());
            log.add(step.host() + " done");
        }

        @Override
        public void failed(RolloutPlan.Step step, boolean rolledBack, String message) {
            log.add(step.host() + " failed: " + message);
        }

        long at(String host, String what) {
            Long t = times.get(host + " " + what);
            assertThat(t).as("%s %s in %s", host, what, log).isNotNull();
            return t;
        }

        /** Each stage with the milliseconds from the start of the rollout, for the benchmark. */
        String timeline() {
            return String.join(", ", timeline);
        }

        int maxCalls(String host) {
            return calls.getOrDefault(host, 0);
        }

        @Override
        public String toString() {
            return String.join("\n", log);
        }
    }

    /**
     * Polls both nodes every 100 ms while the rollout runs: the versions their APIs report (in order,
     * repeats folded), how many sfu-server processes run per prefix, and when the call's participants
     * last received media.
     */
    private final class Watch {
        final Map<String, List<String>> versions = new ConcurrentHashMap<>();
        final Map<String, Integer> maxProcesses = new ConcurrentHashMap<>();
        final AtomicLong lastMedia = new AtomicLong();
        private final List<TestFleet.CuttableHost> hosts;
        private final Map<String, NodeClient> clients = new ConcurrentHashMap<>();
        private volatile List<SyntheticParticipant> participants = List.of();
        private volatile boolean running;
        private Thread thread;

        Watch(List<TestFleet.CuttableHost> hosts) {
            this.hosts = hosts;
            for (TestFleet.CuttableHost h : hosts) {
                versions.put(h.name(), new CopyOnWriteArrayList<>());
                clients.put(h.name(), f.client(h.name()));
            }
        }

        void participants(List<SyntheticParticipant> p) {
            participants = List.copyOf(p);
        }

        void start() {
            running = true;
            thread = Thread.ofPlatform().daemon().name("rollout-watch").start(this::loop);
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(Duration.ofSeconds(30));
            }
        }

        private void loop() {
            long received = 0;
            // bounded: the test stops it, and it gives up after 20 minutes whatever happens
            long end = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            while (running && System.nanoTime() < end) {
                for (TestFleet.CuttableHost h : hosts) {
                    try {
                        String v = clients.get(h.name()).nodeInfo().version();
                        List<String> seen = versions.get(h.name());
                        if (seen.isEmpty() || !seen.getLast().equals(v)) {
                            seen.add(v);
                        }
                    } catch (RuntimeException e) {
                        // restarting: nothing answers for a moment
                    }
                    String releases = h.prefix().resolve("releases") + "/";
                    int n = (int) ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                            .map(c -> c.contains(releases) && c.contains("sfu-server.jar")).orElse(false)).count();
                    maxProcesses.merge(h.name(), n, Math::max);
                }
                long now = participants.stream().mapToLong(p -> p.stats().packetsReceived()).sum();
                if (now > received) {
                    received = now;
                    lastMedia.set(System.nanoTime());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
