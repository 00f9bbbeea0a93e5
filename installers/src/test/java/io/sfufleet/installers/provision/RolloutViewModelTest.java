package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.rollout.RolloutResult;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.rollout.RolloutRow;
import io.sfufleet.console.ui.rollout.RolloutViewModel;
import io.sfufleet.installers.TestBundles;
import io.sfufleet.release.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling-upgrade window's view model against the real service: a console, two real sshd hosts
 * (127.0.80.2, 127.0.80.3) with the real bundle installed and running, and the bundle re-versioned
 * and re-signed as v2. Inline executor: each command returns when the service did.
 */
class RolloutViewModelTest {
    private static final String V2 = "9.0.0-guiroll";

    @TempDir
    Path tmp;
    private ConsoleCore core;
    private TestFleet fleet;
    private Provisioning p;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        core = TestConsole.core(tmp, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS).start();
        fleet = new TestFleet(Files.createDirectories(tmp.resolve("hosts")));
        p = Provisioning.of(core, Duration.ofMinutes(3));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (core != null) {
            core.close();
        }
    }

    private RolloutViewModel vm() {
        return new RolloutViewModel(p, Duration.ofMinutes(3), UiExecutor.INLINE, Runnable::run);
    }

    @Test
    void aRefusedPlanShowsEveryReasonThenTwoNodesAreUpgradedWithTheirStagesInTheTable() throws Exception {
        List<NodeSpec> specs = List.of(fleet.host(p.hosts(), "edge-a", "127.0.80.2", ""),
                fleet.host(p.hosts(), "edge-b", "127.0.80.3", ""));
        fleet.installBundle(p.hosts(), p.installer(), specs);
        Path v2 = TestBundles.asVersion(tmp, V2, tree -> { });
        String v1 = TestBundles.version();
        RolloutViewModel vm = vm();

        // a bad field is said before anything is asked of the service
        vm.bundleProperty().set(v2.toString());
        vm.siteKeyProperty().set(TestBundles.devPublicKey().toString());
        vm.drainDeadlineProperty().set("ten minutes");
        vm.plan();
        assertThat(vm.errorProperty().get()).contains("drain deadline").contains("10m");
        assertThat(vm.rows()).isEmpty();

        // refused: another site's key and a host the console does not know; both reasons listed, no rows
        Path otherKey = tmp.resolve("other-site.pub");
        SigningKeys.writePublicKey(SigningKeys.generate(new SecureRandom()).generatePublicKey(), otherKey);
        vm.siteKeyProperty().set(otherKey.toString());
        vm.drainDeadlineProperty().set("5s");
        vm.allHostsProperty().set(false);
        vm.chosenHosts().setAll("edge-a", "edge-z");
        vm.plan();
        assertThat(vm.problems()).hasSize(2).anySatisfy(r -> assertThat(r).contains("failed its signature check"))
                .anySatisfy(r -> assertThat(r).startsWith("edge-z: "));
        assertThat(vm.errorProperty().get()).contains("refused").contains("nothing was touched");
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.canStart()).isFalse();

        // the right key, every installed host: the plan's table
        vm.siteKeyProperty().set(TestBundles.devPublicKey().toString());
        vm.allHostsProperty().set(true);
        vm.loadHosts();
        assertThat(vm.installedHosts()).containsExactly("edge-a", "edge-b");
        vm.plan();
        assertThat(vm.problems()).isEmpty();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.rows()).extracting(RolloutRow::host, r -> r.versionProperty().get(), r -> r.stageProperty().get())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-a", v1 + " → " + V2, "planned"),
                        org.assertj.core.groups.Tuple.tuple("edge-b", v1 + " → " + V2, "planned"));
        assertThat(vm.canStart()).isTrue();
        assertThat(vm.confirmation()).contains("edge-a, edge-b").contains(V2);

        // Start: every stage each row went through, as the table showed it
        Map<String, List<String>> seen = new LinkedHashMap<>();
        List<Double> progress = new ArrayList<>();
        for (RolloutRow r : vm.rows()) {
            List<String> stages = new ArrayList<>();
            seen.put(r.host(), stages);
            r.stageProperty().addListener((o, was, now) -> stages.add(now));
        }
        vm.progressProperty().addListener((o, was, now) -> progress.add(now.doubleValue()));
        long t0 = System.nanoTime();
        vm.start();
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(vm.errorProperty().get()).isEmpty();
        RolloutResult result = vm.resultProperty().get();
        assertThat(result.nodes()).as(seen.toString()).extracting(RolloutResult.NodeResult::status)
                .containsExactly(RolloutResult.Status.UPGRADED, RolloutResult.Status.UPGRADED);
        for (RolloutRow r : vm.rows()) {
            assertThat(r.stageProperty().get()).isEqualTo("done");
            assertThat(r.versionProperty().get()).isEqualTo(V2);
            assertThat(r.detailProperty().get()).startsWith("upgraded in ");
            assertThat(seen.get(r.host())).containsSubsequence("connect", "upload", "verify", "drain", "wait",
                    "switch", "restart", "ready", "version", "undrain", "done");
            var node = core.inventory().require(r.node());
            assertThat(new NodeClient(core.http(), NodeClient.parseBaseUrl(node.apiUrl()), node.token(),
                    ApiJson.newMapper()).nodeInfo().version()).isEqualTo(V2);
        }
        assertThat(progress).containsSubsequence(0.5, 1.0);
        assertThat(vm.progressProperty().get()).isEqualTo(1.0);
        assertThat(vm.summaryProperty().get()).contains("2 upgraded to " + V2);
        assertThat(vm.canStart()).as("the result stays; Start again needs a new plan").isFalse();
        assertThat(core.audit().latest(100)).extracting(e -> e.action() + " " + e.result().split(":")[0])
                .contains("rollout.plan error", "rollout.plan ok", "rollout.start ok", "rollout.end ok");

        // remembered for the next window (and the wizard); a new plan now skips both
        RolloutViewModel again = vm();
        assertThat(again.bundleProperty().get()).isEqualTo(v2.toString());
        assertThat(again.siteKeyProperty().get()).isEqualTo(TestBundles.devPublicKey().toString());
        again.plan();
        assertThat(again.rows()).extracting(r -> r.stageProperty().get()).containsExactly("skip", "skip");
        assertThat(again.canStart()).isFalse();
        System.out.println("view model rollout of 2 nodes: " + millis + " ms; stages " + seen);
    }
}
