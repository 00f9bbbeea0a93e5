package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.config.ConfigRefusedException;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.config.ConfigEditorViewModel;
import io.sfufleet.console.ui.config.DriftViewModel;
import io.sfufleet.console.ui.config.KeyRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Config editor's and the drift check's view models against the real services: a node from the
 * real bundle on an sshd at 127.0.90.2, a hot key edited (a refused value first), the diff with the
 * host, a push that reloads the node, then an edit on the host over SSH flagged as drift.
 */
class ConfigEditorViewModelTest {
    @TempDir
    Path tmp;
    private ConsoleCore core;
    private TestFleet f;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        core = TestConsole.core(Files.createDirectories(tmp.resolve("console")), MonitorSettings.DEFAULTS,
                AlertRules.DEFAULTS);
        f = new TestFleet(Files.createDirectories(tmp.resolve("hosts")));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
        if (core != null) {
            core.close();
        }
    }

    @Test
    void anEditedHotKeyIsDiffedPushedWithAReloadAndAnEditOnTheHostIsDrift() throws Exception {
        Provisioning p = Provisioning.of(core, Duration.ofMinutes(3));
        NodeSpec spec = f.hostIn(p, "edge-c", "127.0.90.2");
        f.installIn(p, "edge-c", spec);

        var vm = new ConfigEditorViewModel(p, UiExecutor.INLINE, Runnable::run, "edge-c");
        vm.load();
        assertThat(vm.rows()).hasSizeGreaterThan(10);
        KeyRow maxCalls = vm.rows().stream().filter(r -> r.key().equals("limits.max_calls")).findFirst().orElseThrow();
        assertThat(maxCalls.valueProperty().get()).isEqualTo("1000");
        assertThat(maxCalls.reload()).isEqualTo("hot");

        // refused with the shared rules' own reason; nothing changes
        String reason = refusal("limits.max_calls=0");
        assertThat(vm.edit(maxCalls, "0")).isFalse();
        assertThat(maxCalls.errorProperty().get()).contains(reason);
        assertThat(maxCalls.valueProperty().get()).isEqualTo("1000");
        assertThat(maxCalls.changedProperty().get()).isFalse();
        assertThat(vm.hasEdits()).isFalse();

        assertThat(vm.edit(maxCalls, "7")).isTrue();
        assertThat(maxCalls.errorProperty().get()).isEmpty();
        assertThat(maxCalls.changedProperty().get()).isTrue();

        vm.diffWithHost();
        assertThat(vm.diff()).singleElement().asString().startsWith("limits.max_calls: 1000 -> 7")
                .doesNotContain("restart");
        assertThat(p.configs().desired("edge-c").value(io.sfufleet.model.config.ConfigKey.LIMITS_MAX_CALLS))
                .isEqualTo(7L);

        long pid = f.nodePid("edge-c");
        vm.push(List.of("edge-c"));
        assertThat(vm.pushRows()).singleElement().satisfies(r -> {
            assertThat(r.stageProperty().get()).isEqualTo("done");
            assertThat(r.resultProperty().get()).isEqualTo("reloaded");
            assertThat(r.messageProperty().get()).contains("applied limits.max_calls");
        });
        assertThat(Files.readString(f.prefix("edge-c").resolve("etc/sfu.toml"))).containsPattern("max_calls = 7\\b");
        // reloaded, not restarted: the same process, still alive
        assertThat(f.nodePid("edge-c")).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        DriftViewModel drift = new DriftViewModel(p, UiExecutor.INLINE);
        var verdicts = new java.util.LinkedHashMap<String, String>();
        drift.check(List.of("edge-c"), verdicts::put);
        assertThat(verdicts).containsExactly(java.util.Map.entry("edge-c", "in sync"));

        // someone edits the file on the host
        try (HostSession s = p.hosts().connect("edge-c")) {
            s.privileged("sed -i 's/^max_calls = 7$/max_calls = 9/' " + f.prefix("edge-c") + "/etc/sfu.toml",
                    Duration.ofSeconds(60)).require();
        }
        drift.check(List.of("edge-c"), verdicts::put);
        assertThat(verdicts).containsExactly(java.util.Map.entry("edge-c", DriftViewModel.DRIFTED));
        assertThat(drift.details("edge-c")).anyMatch(l -> l.startsWith("limits.max_calls: 9 -> 7"));
        assertThat(drift.statusProperty().get()).contains("1 of 1 host(s) drifted");
        assertThat(core.audit().latest(50).stream().map(e -> e.action() + " " + e.result().split(":")[0]).toList())
                .contains("config.set ok", "config.push ok", "config.drift ok");
    }

    private static String refusal(String assignment) {
        try {
            NodeConfig.defaults().with(List.of(assignment));
        } catch (ConfigRefusedException e) {
            return e.problems().getFirst().reason();
        }
        throw new AssertionError(assignment + " was not refused");
    }
}
