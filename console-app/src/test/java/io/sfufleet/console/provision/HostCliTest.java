package io.sfufleet.console.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.sfu.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sfu-console hosts ...} and {@code preflight} end to end against a real sshd on 127.0.0.3. */
class HostCliTest {
    @TempDir
    Path tmp;
    private final Map<String, String> env = new HashMap<>();
    private SshdHost sshd;
    private OkHttpClient http;
    private Path key;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed");
        env.put("SFU_CONSOLE_DB", tmp.resolve("console.db").toString());
        env.put(ConsoleCli.PASSPHRASE_ENV, "cli passphrase");
        http = NodeClient.newHttpClient();
        sshd = SshdHost.create(tmp.resolve("host3"), "127.0.0.3", FreePorts.tcp()).start();
        key = SshdHost.keygen(tmp.resolve("id_rsa"), "rsa", "rsa pass");
        sshd.authorize("root", key);
        env.put("KEY_PASS", "rsa pass");
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
        int code = new ConsoleCli(env, "tester", Clock.systemUTC(), http)
                .run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void addTrustPreflightListRemove() throws Exception {
        Run add = run("hosts", "add", "edge-3", "127.0.0.3", "--port", String.valueOf(sshd.port()), "--user", "root",
                "--key", key.toString(), "--key-passphrase-env", "KEY_PASS", "--prefix", tmp.resolve("p").toString());
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("key passphrase encrypted").contains("NOT TRUSTED YET");
        Matcher m = Pattern.compile("hosts trust edge-3 (SHA256:\\S+)").matcher(add.out());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(sshd.fingerprint());

        Run early = run("preflight", "edge-3");
        assertThat(early.code()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(early.err()).contains("never accepted");

        Run trust = run("hosts", "trust", "edge-3", m.group(1));
        assertThat(trust.code()).as(trust.err()).isZero();
        assertThat(trust.out()).contains("pinned; logged in as root");

        Run list = run("hosts", "list");
        assertThat(list.out()).contains("edge-3").contains("root@127.0.0.3:" + sshd.port()).contains(m.group(1));
        Run json = run("hosts", "list", "--json");
        assertThat(json.out()).contains("\"hostKeyFingerprint\" : \"" + m.group(1) + "\"").doesNotContain("rsa pass");

        Run pre = run("preflight", "edge-3", "--media-port", String.valueOf(FreePorts.udp()), "--api-port",
                String.valueOf(FreePorts.tcp()), "--bind", "127.0.0.3");
        assertThat(pre.code()).as(pre.out() + pre.err()).isZero();
        assertThat(pre.out()).containsPattern("OK +OS and architecture").containsPattern("OK +media port reachable over UDP")
                .containsPattern("OK +media port reachable over TCP");

        Run remove = run("hosts", "remove", "edge-3");
        assertThat(remove.code()).isZero();
        assertThat(run("hosts", "list").out()).doesNotContain("edge-3");
        assertThat(run("audit").out()).contains("hosts.add").contains("hosts.trust").contains("hosts.preflight")
                .contains("hosts.remove");
    }

    @Test
    void aChangedKeyFailsTheCommandWithBothFingerprints() throws Exception {
        run("hosts", "add", "edge-3", "127.0.0.3", "--port", String.valueOf(sshd.port()), "--user", "root",
                "--key", key.toString(), "--key-passphrase-env", "KEY_PASS", "--prefix", "/opt/sfu");
        String first = sshd.fingerprint();
        assertThat(run("hosts", "trust", "edge-3", first).code()).isZero();
        sshd.close();
        sshd.newHostKey();
        sshd.start();
        Run pre = run("preflight", "edge-3");
        assertThat(pre.code()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(pre.err()).contains("CHANGED").contains(first).contains(sshd.fingerprint());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run both = run("hosts", "add", "x", "127.0.0.3", "--user", "root");
        assertThat(both.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(both.err()).contains("either --key FILE, --password-env VAR or --auth agent");
        Run agentWithKey = run("hosts", "add", "x", "127.0.0.3", "--user", "root", "--auth", "agent", "--key", "/k");
        assertThat(agentWithKey.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(agentWithKey.err()).contains("--auth agent takes no --key");
        Run badAuth = run("hosts", "add", "x", "127.0.0.3", "--user", "root", "--auth", "kerberos");
        assertThat(badAuth.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(badAuth.err()).contains("key, password or agent, not kerberos");
        Run unset = run("hosts", "add", "x", "127.0.0.3", "--user", "root", "--password-env", "NOPE");
        assertThat(unset.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(unset.err()).contains("NOPE: that variable is not set");
    }
}
