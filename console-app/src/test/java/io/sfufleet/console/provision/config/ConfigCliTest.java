package io.sfufleet.console.provision.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.store.ConsoleDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sfu-console config show and set on a real console database: no SSH is needed to edit a desired
 * config. Pushes, diffs and drift against real hosts and nodes are in installers' ConfigPushTest.
 */
class ConfigCliTest {
    @TempDir
    Path tmp;
    private OkHttpClient http;

    @BeforeEach
    void setUp() {
        http = NodeClient.newHttpClient();
        try (ConsoleDatabase db = ConsoleDatabase.open(tmp.resolve("console.db"))) {
            new HostStore(db, Inventory.open(db, "pass".toCharArray(), Clock.systemUTC()), Clock.systemUTC())
                    .add(new HostStore.NewHost("edge-a", "127.0.10.30", 22, "root", HostAuth.KEY,
                            tmp.resolve("id").toString(), null, "/opt/sfu"));
        }
    }

    @AfterEach
    void tearDown() {
        http.dispatcher().executorService().shutdown();
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new ConsoleCli(Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(),
                "SFU_CONSOLE_PASSPHRASE", "pass"), "tester", Clock.systemUTC(), http)
                .run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void showSetAndARefusedValue() {
        Run show = cli("config", "show", "edge-a");
        assertThat(show.code).as(show.err).isZero();
        assertThat(show.out).containsPattern("limits\\.max_calls +1000 +\\(default\\) +reload +1\\.\\.100000")
                .containsPattern("media\\.udp_port +8443 +\\(default\\) +restart +1\\.\\.65535")
                .containsPattern("node\\.name +\"edge-a\" +\"\" +restart")
                .doesNotContain("api.token ");

        Run set = cli("config", "set", "edge-a", "limits.max_calls=5", "media.udp_port=9000");
        assertThat(set.code).as(set.err).isZero();
        assertThat(set.out).contains("edge-a: media.udp_port: 8443 -> 9000  [needs a restart]")
                .contains("edge-a: limits.max_calls: 1000 -> 5").contains("config push edge-a");
        assertThat(cli("config", "show", "edge-a").out).containsPattern("limits\\.max_calls +5 +1000 +reload");

        Run bad = cli("config", "set", "edge-a", "limits.max_calls=50", "media.udp_port=0");
        assertThat(bad.code).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(bad.err).contains("media.udp_port = 0: out of range; set with config set (allowed: 1..65535)")
                .contains("nothing was stored");
        // all or nothing: the good half of the refused change was not stored either
        assertThat(cli("config", "show", "edge-a").out).containsPattern("limits\\.max_calls +5 +1000");

        assertThat(cli("config", "set", "nowhere", "limits.max_calls=5").code).isEqualTo(ConsoleCli.EXIT_USAGE);
        Run noHosts = cli("config", "push");
        assertThat(noHosts.code).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(noHosts.err).contains("give HOST names or --all");

        try (ConsoleDatabase db = ConsoleDatabase.open(tmp.resolve("console.db"))) {
            var audit = new io.sfufleet.console.audit.AuditLog(db, Clock.systemUTC(), "tester").latest(10);
            assertThat(audit).extracting(e -> e.action() + " " + e.result().split(":")[0])
                    .contains("config.set ok", "config.set error");
        }
    }
}
