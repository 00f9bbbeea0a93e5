package io.sfufleet.console.provision.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.SshConnector;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.sfu.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in through a real OpenSSH {@code ssh-agent} (started here by PID, on its own socket) to a
 * real sshd on 127.0.40.1: an ed25519 key, an RSA key (signed as rsa-sha2-512), an empty agent, an
 * agent without the host's key, and no agent at all.
 */
class AgentLoginTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private Process agent;
    private Path socket;
    private SshdHost sshd;
    private ConsoleDatabase db;
    private HostService hosts;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "openssh-client's ssh-agent is not installed");
        socket = tmp.resolve("agent.sock");
        // -D: stays in the foreground, so this process is the agent and is stopped by its PID
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + T.toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline && agent.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(socket).as(Files.readString(tmp.resolve("agent.log"))).exists();
        sshd = SshdHost.create(tmp.resolve("sshd"), "127.0.40.1", FreePorts.tcp()).start();
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        Inventory inv = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        hosts = new HostService(new HostStore(db, inv, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), T, socket), new AuditLog(db, Clock.systemUTC(), "tester"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (db != null) {
            db.close();
        }
    }

    private void sshAdd(Path key) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process q = pb.start();
        String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(30, TimeUnit.SECONDS) && q.exitValue() == 0).as("ssh-add: " + out).isTrue();
    }

    private void addAgentHost(String name) throws Exception {
        hosts.add(new HostStore.NewHost(name, sshd.address(), sshd.port(), "root", HostAuth.AGENT, null, null,
                "/opt/sfu"));
    }

    @Test
    void anEd25519AndAnRsaKeyInTheAgentLogIn() throws Exception {
        Path ed = SshdHost.keygen(tmp.resolve("id_ed25519"), "ed25519", "");
        Path rsa = SshdHost.keygen(tmp.resolve("id_rsa"), "rsa", "");
        sshAdd(ed);
        sshAdd(rsa);
        try (AgentClient a = AgentClient.open(socket, T)) {
            List<AgentIdentity> ids = a.identities();
            assertThat(ids).extracting(AgentIdentity::keyType).containsExactly("ssh-ed25519", "ssh-rsa");
            assertThat(ids.get(1).signatureAlgorithm()).isEqualTo("rsa-sha2-512");
            assertThat(ids.get(0).comment()).isEqualTo("test");
        }

        // only the RSA key is authorized: the ed25519 one is offered first and declined, then RSA signs
        sshd.authorize("root", rsa);
        addAgentHost("h-rsa");
        hosts.trust("h-rsa", sshd.fingerprint(), false);
        try (HostSession s = hosts.connect("h-rsa")) {
            assertThat(s.exec("id -un", T).require().strip()).isEqualTo("root");
        }
        assertThat(sshd.log()).contains("Accepted publickey for root").contains("RSA SHA256:");

        // and the ed25519 key on its own
        Files.delete(tmp.resolve("sshd/authorized/root"));
        sshd.authorize("root", ed);
        try (HostSession s = hosts.connect("h-rsa")) {
            assertThat(s.exec("echo ok", T).require().strip()).isEqualTo("ok");
        }
        assertThat(sshd.log()).contains("ED25519 SHA256:");
    }

    @Test
    void anEmptyAgentAndAnAgentWithoutTheHostsKeyAreRefusedWithWhatToDo() throws Exception {
        Path authorized = SshdHost.keygen(tmp.resolve("id_ok"), "ed25519", "");
        sshd.authorize("root", authorized);
        addAgentHost("h");
        assertThatThrownBy(() -> hosts.trust("h", sshd.fingerprint(), false)).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("holds no keys").hasMessageContaining("ssh-add");
        assertThat(hosts.require("h").trusted()).isFalse();

        sshAdd(SshdHost.keygen(tmp.resolve("id_other"), "ed25519", ""));
        assertThatThrownBy(() -> hosts.trust("h", sshd.fingerprint(), false)).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("refused the login of root by agent")
                .hasMessageContaining("no key the host accepts");
        assertThat(hosts.require("h").trusted()).isFalse();
    }

    @Test
    void withoutAnAgentTheMessageSaysHowToStartOne() throws Exception {
        assertThatThrownBy(() -> AgentClient.fromEnvironment(Map.of(), T)).isInstanceOf(AgentException.class)
                .hasMessageContaining("SSH_AUTH_SOCK is not set").hasMessageContaining("ssh-agent");
        assertThatThrownBy(() -> AgentClient.open(tmp.resolve("gone.sock"), T)).isInstanceOf(AgentException.class)
                .hasMessageContaining("no SSH agent socket");

        // a socket that accepts but never answers: bounded by the timeout, not a hang
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            Path mute = tmp.resolve("mute.sock");
            server.bind(java.net.UnixDomainSocketAddress.of(mute));
            long t0 = System.nanoTime();
            try (AgentClient a = AgentClient.open(mute, Duration.ofMillis(500))) {
                assertThatThrownBy(a::identities).isInstanceOf(AgentException.class)
                        .hasMessageContaining("did not answer within 500 ms");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }

        SshConnector noAgent = new SshConnector(Duration.ofSeconds(20), T, null);
        Path db2 = tmp.resolve("other.db");
        try (ConsoleDatabase d = ConsoleDatabase.open(db2)) {
            Inventory inv = Inventory.open(d, "pass".toCharArray(), Clock.systemUTC());
            HostService h = new HostService(new HostStore(d, inv, Clock.systemUTC()), noAgent,
                    new AuditLog(d, Clock.systemUTC(), "tester"));
            h.add(new HostStore.NewHost("h", sshd.address(), sshd.port(), "root", HostAuth.AGENT, null, null, "/opt/sfu"));
            assertThatThrownBy(() -> h.trust("h", sshd.fingerprint(), false)).isInstanceOf(ProvisionException.class)
                    .hasMessageContaining("SSH_AUTH_SOCK is not set");
        }
    }

    @Test
    void theCommandLineAddsAnAgentHost() throws Exception {
        db.close();
        db = null;
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cli = new io.sfufleet.console.cli.ConsoleCli(Map.of("SFU_CONSOLE_DB", tmp.resolve("console.db").toString(),
                "SFU_CONSOLE_PASSPHRASE", "pass"), "tester", Clock.systemUTC(), new okhttp3.OkHttpClient());
        int code = cli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "hosts", "add", "ag",
                sshd.address(), "--port", String.valueOf(sshd.port()), "--user", "root", "--auth", "agent");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("added ag").contains(sshd.fingerprint()).doesNotContain("encrypted");
        out.getBuffer().setLength(0);
        cli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "hosts", "list", "--json");
        assertThat(out.toString()).contains("\"auth\" : \"agent\"");
    }

    @Test
    void agentHostsTakeNoKeyFileOrSecret() {
        assertThatThrownBy(() -> new HostStore.NewHost("h", "127.0.40.1", 22, "root", HostAuth.AGENT, "/k", null,
                "/opt/sfu")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent holds the keys");
        assertThat(HostAuth.parse("agent")).isEqualTo(HostAuth.AGENT);
    }
}
