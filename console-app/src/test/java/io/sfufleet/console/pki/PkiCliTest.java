package io.sfufleet.console.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.node.NodeClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sfu-console ca ...} and {@code certs issue|list|warn-days}, with their refusals and exit codes. */
class PkiCliTest {
    @TempDir
    Path tmp;
    private final Map<String, String> env = new HashMap<>();
    private OkHttpClient http;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        env.put("SFU_CONSOLE_DB", tmp.resolve("console.db").toString());
        env.put(ConsoleCli.PASSPHRASE_ENV, "cli passphrase");
        http = NodeClient.newHttpClient();
    }

    @AfterEach
    void tearDown() {
        http.dispatcher().executorService().shutdown();
    }

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new ConsoleCli(env, "tester", Clock.systemUTC(), http).run(new PrintWriter(out), new PrintWriter(err),
                args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void createShowIssueListAndTheRefusals() {
        Run none = run("certs", "issue", "edge-1", "--ip", "10.0.0.5");
        assertThat(none.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(none.err()).contains("no site CA yet").contains("ca create --name");
        assertThat(run("ca", "show").err()).contains("no site CA yet");

        Run created = run("ca", "create", "--name", "Example SFU CA");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created the site CA \"Example SFU CA\"").contains("ca show --pem");
        assertThat(run("ca", "create", "--name", "Another").err()).contains("--replace");

        // the certificate is public: shown without the passphrase
        env.remove(ConsoleCli.PASSPHRASE_ENV);
        Run pem = run("ca", "show", "--pem");
        assertThat(pem.code()).as(pem.err()).isZero();
        assertThat(pem.out()).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Certificates.readCertificate(pem.out()).getSubjectX500Principal().getName())
                .isEqualTo("CN=Example SFU CA");
        assertThat(run("ca", "show").out()).contains("name         Example SFU CA").contains("sha256");
        Run locked = run("certs", "issue", "edge-1", "--ip", "10.0.0.5");
        assertThat(locked.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(locked.err()).contains("passphrase");
        env.put(ConsoleCli.PASSPHRASE_ENV, "cli passphrase");

        Run noNames = run("certs", "issue", "edge-1");
        assertThat(noNames.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(noNames.err()).contains("at least one IP address or DNS name");
        Run badIp = run("certs", "issue", "edge-1", "--ip", "10.0.0.256");
        assertThat(badIp.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(badIp.err()).contains("not an IP address: 10.0.0.256");
        Run badDns = run("certs", "issue", "edge-1", "--dns", "sfu_1.example.org");
        assertThat(badDns.err()).contains("not a DNS host name: sfu_1.example.org");
        assertThat(run("certs", "issue", "edge-1", "--ip", "10.0.0.5", "--days", "400").err()).contains("1 to 397 days");

        Run issued = run("certs", "issue", "edge-1", "--ip", "10.0.0.5", "--dns", "sfu1.example.org");
        assertThat(issued.code()).as(issued.err()).isZero();
        assertThat(issued.out()).contains("issued for edge-1").contains("IP:10.0.0.5,DNS:sfu1.example.org")
                .contains("certs push edge-1");
        Run list = run("certs", "list");
        assertThat(list.out()).contains("edge-1").contains("IP:10.0.0.5,DNS:sfu1.example.org").contains(" 396 ")
                .contains(" ok ").contains(" no");
        Run json = run("certs", "list", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"daysLeft\" : 396").contains("\"installed\" : false")
                .contains("\"status\" : \"ok\"");

        assertThat(run("certs", "warn-days").out()).contains("30 days ahead");
        assertThat(run("certs", "warn-days", "45").out()).contains("45 days ahead");
        Run badWarn = run("certs", "warn-days", "0");
        assertThat(badWarn.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(badWarn.err()).contains("1 to 365 days");

        Run pushUnknown = run("certs", "push", "edge-9");
        assertThat(pushUnknown.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(pushUnknown.err()).contains("no host named edge-9");
    }
}
