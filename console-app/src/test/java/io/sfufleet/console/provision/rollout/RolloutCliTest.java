package io.sfufleet.console.provision.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.release.SigningKeys;
import io.sfufleet.sfu.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfu-console rollout}'s refusals, before anything is touched: bad arguments, and a plan with
 * every problem listed (a bundle that is not signed for the site, a host never added, a host whose
 * key was never accepted, on a real sshd at 127.0.20.10). The upgrades themselves run with the real
 * bundle in the installers module (RolloutTest).
 */
class RolloutCliTest {
    @TempDir
    Path tmp;
    private SshdHost sshd;
    private OkHttpClient http;
    private Map<String, String> env;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed");
        http = NodeClient.newHttpClient();
        env = Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(), ConsoleCli.PASSPHRASE_ENV, "pass");
        sshd = SshdHost.create(tmp.resolve("host"), "127.0.20.10", FreePorts.tcp()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (http != null) {
            http.dispatcher().executorService().shutdown();
        }
    }

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new ConsoleCli(env, "tester", Clock.systemUTC(), http).run(new PrintWriter(out), new PrintWriter(err),
                args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badArgumentsAndAPlanWithProblemsTouchNothing() throws Exception {
        Path key = SshdHost.keygen(tmp.resolve("id"), "ed25519", "");
        Run add = run("hosts", "add", "edge-u", "127.0.20.10", "--port", String.valueOf(sshd.port()), "--user", "root",
                "--key", key.toString(), "--prefix", tmp.resolve("p").toString());
        assertThat(add.code()).as(add.err()).isZero();
        Path siteKey = tmp.resolve("site.pub");
        SigningKeys.writePublicKey(SigningKeys.generate(new SecureRandom()).generatePublicKey(), siteKey);
        Path bundle = Files.writeString(tmp.resolve("sfu-server-2.0.0-linux-x64.tar.gz"), "not a bundle");

        Run noHosts = run("rollout", bundle.toString(), "--site-key", siteKey.toString(), "--drain-deadline", "10m");
        assertThat(noHosts.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(noHosts.err()).contains("name the hosts to upgrade, or give --all");

        Run both = run("rollout", bundle.toString(), "--site-key", siteKey.toString(), "--drain-deadline", "10m",
                "--all", "edge-u");
        assertThat(both.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(both.err()).contains("give --all or HOST names, not both");

        Run badDeadline = run("rollout", bundle.toString(), "--site-key", siteKey.toString(), "--drain-deadline",
                "soon", "edge-u");
        assertThat(badDeadline.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(badDeadline.err()).contains("not a duration: soon");

        Run refused = run("rollout", bundle.toString(), "--site-key", siteKey.toString(), "--drain-deadline", "10m",
                "--yes", "edge-u", "edge-nowhere");
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(refused.err()).contains("the rollout was not started, nothing was touched",
                "the bundle sfu-server-2.0.0-linux-x64.tar.gz failed its signature check",
                "edge-u: its host key was never accepted; run sfu-console hosts trust edge-u first", "edge-nowhere: ");
        assertThat(refused.out()).doesNotContain("edge-u: upload");
        assertThat(tmp.resolve("p")).doesNotExist();

        Run all = run("rollout", bundle.toString(), "--site-key", siteKey.toString(), "--drain-deadline", "10m",
                "--all");
        assertThat(all.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(all.err()).contains("no hosts given");

        try (ConsoleDatabase db = ConsoleDatabase.open(tmp.resolve("console.db"))) {
            List<AuditEntry> latest = new AuditLog(db, Clock.systemUTC(), "tester").latest(10);
            assertThat(latest).filteredOn(e -> e.action().equals("rollout.plan")).hasSize(2)
                    .allSatisfy(e -> assertThat(e.result()).startsWith("error: "));
            assertThat(latest).noneMatch(e -> e.action().startsWith("rollout.start") || e.action().equals("drain"));
        }
    }
}
