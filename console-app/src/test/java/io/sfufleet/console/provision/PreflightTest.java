package io.sfufleet.console.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.sfu.FreePorts;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight checklist against a real sshd "host" on 127.0.0.2. */
class PreflightTest {
    @TempDir
    Path tmp;
    private ConsoleDatabase db;
    private AuditLog audit;
    private HostService hosts;
    private SshdHost sshd;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        Inventory inv = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inv, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(60)), audit);
        sshd = SshdHost.create(tmp.resolve("host2"), "127.0.0.2", FreePorts.tcp()).start();
        Path key = SshdHost.keygen(tmp.resolve("id_ed25519"), "ed25519", "");
        sshd.authorize("root", key);
        hosts.add(new HostStore.NewHost("h2", sshd.address(), sshd.port(), "root", HostAuth.KEY, key.toString(), null,
                tmp.resolve("prefix").toString()));
        hosts.trust("h2", sshd.fingerprint(), false);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Map<String, Check> byName(List<Check> checks) {
        Map<String, Check> m = new LinkedHashMap<>();
        checks.forEach(c -> m.put(c.name().replaceAll("\\d+", "N"), c));
        return m;
    }

    @Test
    void aFreeHostPassesWithTheWarningsThisMachineDeserves() throws Exception {
        int media = FreePorts.udp();
        int api = FreePorts.tcp();
        List<Check> checks = hosts.preflight("h2", new PreflightSpec(media, api, "127.0.0.2", "127.0.0.2", 1024),
                new Preflight(Clock.systemUTC()));
        Map<String, Check> c = byName(checks);
        assertThat(c.keySet()).containsExactly("OS and architecture", "systemd", "root or sudo", "free disk",
                "media port N/udp free", "media port N/tcp free", "API port N/tcp free", "net.core.rmem_max",
                "net.core.wmem_max", "clock offset", "media port reachable over UDP", "media port reachable over TCP");
        assertThat(c.get("OS and architecture").verdict()).isEqualTo(Verdict.OK);
        assertThat(c.get("OS and architecture").found()).contains("Linux x86_64");
        // this machine has no running systemd (TOOLCHAIN.md): the supervised fallback is announced
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        assertThat(c.get("systemd").verdict()).isEqualTo(systemd ? Verdict.OK : Verdict.WARN);
        if (!systemd) {
            assertThat(c.get("systemd").todo()).contains("supervised with a PID file");
        }
        assertThat(c.get("root or sudo").verdict()).isEqualTo(Verdict.OK);
        assertThat(c.get("free disk").verdict()).isEqualTo(Verdict.OK);
        assertThat(c.get("free disk").found()).contains(tmp.toString());
        assertThat(c.get("media port N/udp free").verdict()).isEqualTo(Verdict.OK);
        assertThat(c.get("API port N/tcp free").verdict()).isEqualTo(Verdict.OK);
        long rmem = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).strip());
        assertThat(c.get("net.core.rmem_max").verdict())
                .isEqualTo(rmem >= PreflightSpec.SOCKET_BUFFER_BYTES ? Verdict.OK : Verdict.WARN);
        assertThat(c.get("net.core.rmem_max").found()).startsWith(String.valueOf(rmem));
        // same machine, same clock: within the round trip
        assertThat(c.get("clock offset").verdict()).isEqualTo(Verdict.OK);
        assertThat(c.get("media port reachable over UDP").verdict()).as(c.get("media port reachable over UDP")
                .toString()).isEqualTo(Verdict.OK);
        assertThat(c.get("media port reachable over TCP").verdict()).isEqualTo(Verdict.OK);
        assertThat(audit.latest(1).getFirst().action()).isEqualTo("hosts.preflight");
        assertThat(audit.latest(1).getFirst().result()).matches("ok: \\d+ OK, \\d+ WARN, 0 FAIL");
    }

    @Test
    void portsInUseFailAndSayWhatToDo() throws Exception {
        InetAddress two = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(two, 0));
                ServerSocket api = new ServerSocket(0, 5, two)) {
            int media = udp.getLocalPort();
            List<Check> checks = hosts.preflight("h2",
                    new PreflightSpec(media, api.getLocalPort(), "0.0.0.0", "127.0.0.2", 1024),
                    new Preflight(Clock.systemUTC()));
            Map<String, Check> c = byName(checks);
            assertThat(c.get("media port N/udp free").verdict()).isEqualTo(Verdict.FAIL);
            assertThat(c.get("media port N/udp free").found()).contains("127.0.0.2:" + media);
            assertThat(c.get("media port N/udp free").todo()).contains("ss -lntup");
            assertThat(c.get("API port N/tcp free").verdict()).isEqualTo(Verdict.FAIL);
            assertThat(c.get("media port reachable over UDP").verdict()).isEqualTo(Verdict.FAIL);
            assertThat(c.get("media port reachable over UDP").found()).contains("not tested");
            assertThat(audit.latest(1).getFirst().result()).startsWith("fail: ");
        }
    }

    @Test
    void aMediaPortTheConsoleCannotReachFailsBothWays() {
        // the listener binds 127.0.0.2, the console tries 127.0.0.3: what a firewall would look like
        int media = FreePorts.udp();
        List<Check> checks = hosts.preflight("h2",
                new PreflightSpec(media, FreePorts.tcp(), "127.0.0.2", "127.0.0.3", 1024),
                new Preflight(Clock.systemUTC()));
        Map<String, Check> c = byName(checks);
        assertThat(c.get("media port reachable over UDP").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.get("media port reachable over UDP").todo()).contains("open UDP " + media);
        assertThat(c.get("media port reachable over TCP").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.get("media port reachable over TCP").found()).contains("127.0.0.3:" + media);
    }

    @Test
    void notEnoughDiskFails() {
        List<Check> checks = hosts.preflight("h2",
                new PreflightSpec(FreePorts.udp(), FreePorts.tcp(), "127.0.0.2", "127.0.0.2", Long.MAX_VALUE / 2),
                new Preflight(Clock.systemUTC()));
        Check disk = byName(checks).get("free disk");
        assertThat(disk.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(disk.todo()).contains("free space there or choose another prefix");
    }
}
