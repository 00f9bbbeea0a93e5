package io.sfufleet.console.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.sfu.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding, trusting and using hosts against real OpenSSH servers on 127.0.0.2 and 127.0.0.3. */
class HostServiceTest {
    private static final String PASSPHRASE = "test console passphrase";
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private ConsoleDatabase db;
    private AuditLog audit;
    private HostService hosts;
    private SshdHost sshd;
    private Path rootKey;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        Inventory inv = Inventory.open(db, PASSPHRASE.toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
        hosts = new HostService(new HostStore(db, inv, Clock.systemUTC()),
                new SshConnector(Duration.ofSeconds(20), Duration.ofSeconds(60)), audit);
        sshd = SshdHost.create(tmp.resolve("host2"), "127.0.0.2", FreePorts.tcp()).start();
        rootKey = SshdHost.keygen(tmp.resolve("id_ed25519"), "ed25519", "");
        sshd.authorize("root", rootKey);
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

    private HostStore.NewHost keyHost(String name, Path key, String passphrase) {
        return new HostStore.NewHost(name, sshd.address(), sshd.port(), "root", HostAuth.KEY, key.toString(),
                passphrase, "/opt/sfu");
    }

    @Test
    void theHostKeyIsShownAcceptedOnceThenPinned() throws Exception {
        HostService.Added added = hosts.add(keyHost("h2", rootKey, null));
        assertThat(added.presented().fingerprint()).isEqualTo(sshd.fingerprint());
        assertThat(added.presented().type()).isEqualTo("ssh-ed25519");
        assertThat(added.host().trusted()).isFalse();

        assertThatThrownBy(() -> hosts.connect("h2")).isInstanceOf(HostKeyNotTrustedException.class)
                .hasMessageContaining("never accepted").hasMessageContaining("hosts trust h2");

        String other = "SHA256:" + "A".repeat(43);
        assertThatThrownBy(() -> hosts.trust("h2", other, false)).isInstanceOf(HostKeyNotTrustedException.class)
                .hasMessageContaining(other).hasMessageContaining(sshd.fingerprint());
        assertThat(hosts.require("h2").trusted()).isFalse();

        HostEntry pinned = hosts.trust("h2", sshd.fingerprint(), false);
        assertThat(pinned.hostKeyFingerprint()).isEqualTo(sshd.fingerprint());
        try (HostSession s = hosts.connect("h2")) {
            ExecResult r = s.exec("echo hello; echo oops >&2; exit 3", T);
            assertThat(r.exitStatus()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("hello\n");
            assertThat(r.stderr()).isEqualTo("oops\n");
            assertThatThrownBy(r::require).hasMessageContaining("status 3").hasMessageContaining("oops");
        }
        assertThat(actions()).contains("hosts.add ok", "hosts.probe-key ok", "hosts.trust error", "hosts.trust ok");
    }

    @Test
    void aChangedHostKeyStopsWithBothFingerprints() throws Exception {
        hosts.add(keyHost("h2", rootKey, null));
        String first = sshd.fingerprint();
        hosts.trust("h2", first, false);
        sshd.close();
        sshd.newHostKey();
        sshd.start();
        String second = sshd.fingerprint();
        assertThat(second).isNotEqualTo(first);

        assertThatThrownBy(() -> hosts.connect("h2")).isInstanceOf(HostKeyChangedException.class)
                .hasMessageContaining("CHANGED").hasMessageContaining(first).hasMessageContaining(second);
        // the login never happened: sshd saw no authentication attempt for root on the changed key
        assertThat(sshd.log()).doesNotContain("Accepted publickey");
        assertThat(actions()).contains("hosts.connect refused");
        assertThatThrownBy(() -> hosts.trust("h2", second, false)).hasMessageContaining("--replace");
        assertThat(hosts.require("h2").hostKeyFingerprint()).isEqualTo(first);

        hosts.trust("h2", second, true);
        try (HostSession s = hosts.connect("h2")) {
            assertThat(s.exec("true", T).ok()).isTrue();
        }
    }

    @Test
    void anRsaKeyWithAPassphraseLogsInAndAWrongPassphraseSaysSo() throws Exception {
        Path rsa = SshdHost.keygen(tmp.resolve("id_rsa"), "rsa", "key secret");
        sshd.authorize("root", rsa);
        hosts.add(keyHost("rsa", rsa, "key secret"));
        hosts.trust("rsa", sshd.fingerprint(), false);
        try (HostSession s = hosts.connect("rsa")) {
            assertThat(s.exec("id -u", T).require().strip()).isEqualTo("0");
        }

        hosts.add(keyHost("rsa-wrong", rsa, "not the secret"));
        assertThatThrownBy(() -> hosts.trust("rsa-wrong", sshd.fingerprint(), false))
                .isInstanceOf(ProvisionException.class).hasMessageContaining("cannot read the private key")
                .hasMessageContaining("passphrase");
    }

    @Test
    void aKeyTheHostDoesNotKnowIsRefusedClearly() throws Exception {
        Path stranger = SshdHost.keygen(tmp.resolve("stranger"), "ed25519", "");
        hosts.add(keyHost("h2", stranger, null));
        assertThatThrownBy(() -> hosts.trust("h2", sshd.fingerprint(), false))
                .isInstanceOf(ProvisionException.class).hasMessageContaining("refused the login of root by key")
                .hasMessageContaining("authorized_keys").hasMessageContaining("nothing was changed");
        assertThat(hosts.require("h2").trusted()).isFalse();
    }

    @Test
    void nobodyListensThereSaysSo() throws Exception {
        int closed = FreePorts.tcp();
        assertThatThrownBy(() -> hosts.add(new HostStore.NewHost("gone", "127.0.0.2", closed, "root", HostAuth.KEY,
                rootKey.toString(), null, "/opt/sfu"))).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("cannot reach 127.0.0.2:" + closed).hasMessageContaining("sshd running");
    }

    @Test
    void aNonRootUserWithAPasswordAndSudo() throws Exception {
        assumeTrue(TestUser.possible(), "needs root, useradd and sudo to make a sudo user");
        try (TestUser user = TestUser.create()) {
            hosts.add(new HostStore.NewHost("pw", sshd.address(), sshd.port(), TestUser.NAME, HostAuth.PASSWORD, null,
                    user.password(), "/opt/sfu"));
            hosts.trust("pw", sshd.fingerprint(), false);
            try (HostSession s = hosts.connect("pw")) {
                assertThat(s.exec("id -un", T).require().strip()).isEqualTo(TestUser.NAME);
                assertThat(s.privileged("id -u", T).require().strip()).isEqualTo("0");
                assertThat(s.privileged("echo 'it''s quoted'", T).require()).isEqualTo("its quoted\n");
            }
            // the password is sealed: not in the file, and not readable without the passphrase
            assertThat(new String(Files.readAllBytes(db.file()), StandardCharsets.ISO_8859_1))
                    .doesNotContain(user.password());
            Inventory noPass = Inventory.open(db, null, Clock.systemUTC());
            assertThat(new HostStore(db, noPass, Clock.systemUTC()).require("pw").secret()).isNull();

            hosts.add(new HostStore.NewHost("pw-wrong", sshd.address(), sshd.port(), TestUser.NAME,
                    HostAuth.PASSWORD, null, "wrong password", "/opt/sfu"));
            assertThatThrownBy(() -> hosts.trust("pw-wrong", sshd.fingerprint(), false))
                    .hasMessageContaining("refused the login of " + TestUser.NAME + " by password")
                    .hasMessageContaining("check the password");
        }
    }

    @Test
    void aCommandThatKeepsItsOutputOpenStillEndsAtItsDeadline() throws Exception {
        hosts.add(keyHost("h2", rootKey, null));
        hosts.trust("h2", sshd.fingerprint(), false);
        try (HostSession s = hosts.connect("h2")) {
            long start = System.nanoTime();
            // output first, then 60 s of silence with stdout still open
            assertThatThrownBy(() -> s.exec("echo started; sleep 60", java.time.Duration.ofSeconds(2)))
                    .isInstanceOf(ProvisionException.class).hasMessageContaining("did not finish within 2 s");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
        }
        // the session it ran in is gone, the connection is not
        try (HostSession s = hosts.connect("h2")) {
            assertThat(s.exec("echo ok", java.time.Duration.ofSeconds(30)).require().strip()).isEqualTo("ok");
        }
    }

    @Test
    void uploadsReportProgress() throws Exception {
        hosts.add(keyHost("h2", rootKey, null));
        hosts.trust("h2", sshd.fingerprint(), false);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        Path local = Files.write(tmp.resolve("blob.bin"), data);
        Path remote = tmp.resolve("remote-blob.bin");
        List<Long> progress = new ArrayList<>();
        try (HostSession s = hosts.connect("h2")) {
            s.upload(local, remote.toString(), progress::add);
        }
        assertThat(Files.readAllBytes(remote)).isEqualTo(data);
        assertThat(progress).isSorted().last().isEqualTo((long) data.length);
        assertThat(progress.size()).isGreaterThan(1);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> new HostStore.NewHost("a b", "h", 22, "root", HostAuth.KEY, "/k", null, "/opt/sfu"))
                .hasMessageContaining("host name");
        assertThatThrownBy(() -> new HostStore.NewHost("a", "h;rm", 22, "root", HostAuth.KEY, "/k", null, "/opt/sfu"))
                .hasMessageContaining("host address");
        assertThatThrownBy(() -> new HostStore.NewHost("a", "h", 0, "root", HostAuth.KEY, "/k", null, "/opt/sfu"))
                .hasMessageContaining("SSH port must be 1 to 65535");
        assertThatThrownBy(() -> new HostStore.NewHost("a", "h", 22, "root", HostAuth.KEY, null, null, "/opt/sfu"))
                .hasMessageContaining("--key FILE");
        assertThatThrownBy(() -> new HostStore.NewHost("a", "h", 22, "root", HostAuth.PASSWORD, null, null, "/opt"))
                .hasMessageContaining("needs a password");
        assertThatThrownBy(() -> new HostStore.NewHost("a", "h", 22, "root", HostAuth.KEY, "/k", null, "opt/../x"))
                .hasMessageContaining("install prefix");
        assertThatThrownBy(() -> hosts.trust("nope", "SHA256:" + "A".repeat(43), false))
                .hasMessageContaining("no host named nope");
    }

    private List<String> actions() throws Exception {
        List<String> out = new ArrayList<>();
        for (AuditEntry e : audit.latest(100)) {
            out.add(e.action() + " " + e.result().split(":")[0]);
        }
        return out;
    }
}
