package io.sfufleet.console.ui.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.pki.Certificates;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.certs.CertsViewModel.CertRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Certificates screen's commands on the real site CA and store (a real database): create, show
 * and export the CA, issue with the host's address prefilled, and the expiry judgement. Pushing to a
 * node is in the installers' HostOpsGuiTest, which has a node installed from the bundle.
 */
class CertsViewModelTest {
    @TempDir
    Path tmp;
    private ConsoleCore core;
    private CertsViewModel vm;
    private final List<String> errors = new ArrayList<>();

    @BeforeEach
    void setUp() {
        core = TestConsole.core(tmp, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS);
        Provisioning p = Provisioning.of(core, Duration.ofMinutes(1));
        // a stored host (never connected to: issuing needs only its name and address)
        new HostStore(core.database(), core.inventory(), core.clock()).add(new HostStore.NewHost("edge-c",
                "127.0.70.9", 22, "root", HostAuth.AGENT, null, null, "/opt/sfu"));
        vm = new CertsViewModel(p, UiExecutor.INLINE, Runnable::run);
    }

    @AfterEach
    void tearDown() {
        if (core != null) {
            core.close();
        }
    }

    @Test
    void createsShowsExportsAndIssuesWithTheHostsAddress() throws Exception {
        vm.reload();
        assertThat(vm.caSummaryProperty().get()).startsWith("No site CA yet");
        assertThat(vm.caPemProperty().get()).isEmpty();
        vm.exportCa(tmp.resolve("none.crt"), errors::add);
        assertThat(errors).singleElement().asString().contains("create one first");
        errors.clear();

        vm.createCa("Test Site CA", errors::add);
        assertThat(errors).isEmpty();
        assertThat(vm.caSummaryProperty().get()).startsWith("Test Site CA — SHA-256 ");
        String pem = vm.caPemProperty().get();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Certificates.readCertificate(pem).getSubjectX500Principal().getName()).contains("Test Site CA");
        vm.createCa("Another", errors::add);
        assertThat(errors).singleElement().asString().isNotBlank();
        errors.clear();

        Path out = tmp.resolve("site-ca.crt");
        vm.exportCa(out, errors::add);
        assertThat(errors).isEmpty();
        assertThat(Files.readString(out)).isEqualTo(pem);

        assertThat(vm.hosts()).containsExactly("edge-c");
        String[] names = vm.prefillFor("edge-c");
        assertThat(names).containsExactly("127.0.70.9", "");
        vm.issue("edge-c", names[0], "edge-c.example.net", 397, errors::add);
        assertThat(errors).isEmpty();
        assertThat(vm.rows()).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("edge-c");
            assertThat(r.names()).contains("127.0.70.9").contains("edge-c.example.net");
            assertThat(r.daysLeft()).isBetween(396L, 397L);
            assertThat(r.status()).isEqualTo("OK");
            assertThat(r.installed()).isFalse();
        });

        // a short one falls inside the 30 warning days
        vm.issue("edge-c", "127.0.70.9", "", 10, errors::add);
        assertThat(vm.rows()).hasSize(2).anySatisfy(r -> assertThat(r.status()).isEqualTo("EXPIRING"));

        // bad input: said, and nothing issued
        vm.issue("edge-c", "127.0.70", "", 30, errors::add);
        vm.issue("nobody", "127.0.70.9", "", 30, errors::add);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(1)).contains("nobody");
        assertThat(vm.rows()).hasSize(2);

        List<AuditEntry> audited = core.audit().latest(20);
        assertThat(audited).filteredOn(e -> e.action().equals("pki.cert.issue") && e.result().startsWith("ok"))
                .hasSize(2);
        assertThat(audited).filteredOn(e -> e.action().equals("pki.ca.create") && e.result().startsWith("ok"))
                .hasSize(1);
    }

    @Test
    void anExpiredCertificateIsFlagged() {
        vm.createCa("Test Site CA", errors::add);
        vm.issue("edge-c", "127.0.70.9", "", 1, errors::add);
        CertRow now = vm.rows().getFirst();
        assertThat(now.status()).isEqualTo("EXPIRING");
        var cert = vm.provisioning().core();
        // judged two days later: expired, negative days left
        var nc = new io.sfufleet.console.pki.CertStore(cert.database()).list().getFirst();
        CertRow later = CertsViewModel.row(nc, java.time.Instant.now().plus(Duration.ofDays(2)), 30);
        assertThat(later.status()).isEqualTo("EXPIRED");
        assertThat(later.daysLeft()).isNegative();
    }
}
