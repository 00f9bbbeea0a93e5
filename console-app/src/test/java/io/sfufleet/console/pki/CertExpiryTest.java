package io.sfufleet.console.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.alerts.AlertKind;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.alerts.AlertRulesEngine;
import io.sfufleet.console.alerts.AlertService;
import io.sfufleet.console.alerts.AlertStore;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.store.ConsoleDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CERT_EXPIRING and CERT_EXPIRED from the certificate records, with a certificate that lives two days. */
class CertExpiryTest {
    @TempDir
    Path tmp;

    private static NodeStatus up(String name) {
        return new NodeStatus(name, "https://127.0.30.2:8045", NodeHealth.UP, null, List.of(), List.of(), 0, 0, null, 0);
    }

    @Test
    void aShortLivedCertificateWarnsThenExpiresAndCertsListFlagsIt() {
        // whole seconds, as certificates keep their times
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Path file = tmp.resolve("console.db");
        try (ConsoleDatabase db = ConsoleDatabase.open(file)) {
            Inventory inventory = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
            AuditLog audit = new AuditLog(db, Clock.systemUTC(), "tester");
            SiteCa site = new SiteCa(new CertStore(db), inventory, audit, Clock.fixed(t0, ZoneOffset.UTC),
                    new SecureRandom());
            site.create("Example SFU CA", false);
            NodeCert shortLived = site.issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of()),
                    Duration.ofDays(2));
            // a long-lived one on another node never warns; an issued but never pushed one is not on a node
            NodeCert longLived = site.issue("edge-2", new SubjectNames(List.of("127.0.30.3"), List.of()), null);
            site.issue("edge-3", new SubjectNames(List.of("127.0.30.4"), List.of()), Duration.ofDays(1));
            site.store().markPushed(shortLived.serial(), t0.toEpochMilli());
            site.store().markPushed(longLived.serial(), t0.toEpochMilli());

            AlertService alerts = new AlertService(new AlertStore(db), new AlertRulesEngine(AlertRules.DEFAULTS));
            CertExpiry expiry = CertExpiry.of(db);
            alerts.addSource(expiry);
            List<NodeStatus> fleet = List.of(up("edge-1"), up("edge-2"), up("edge-3"));

            var first = alerts.evaluate(fleet, t0.toEpochMilli());
            assertThat(first).singleElement().satisfies(c -> {
                assertThat(c.raised()).isTrue();
                assertThat(c.alert().kind()).isEqualTo(AlertKind.CERT_EXPIRING);
                assertThat(c.alert().node()).isEqualTo("edge-1");
                assertThat(c.alert().message()).contains("in 2 days").contains("certs push");
            });
            assertThat(alerts.evaluate(fleet, t0.toEpochMilli() + 1000)).as("still holding: once").isEmpty();

            // past its end: EXPIRED raised, EXPIRING cleared
            long later = t0.plus(Duration.ofDays(2)).plusSeconds(1).toEpochMilli();
            var second = alerts.evaluate(fleet, later);
            assertThat(second).extracting(c -> c.alert().kind() + " " + (c.raised() ? "raised" : "cleared"))
                    .containsExactlyInAnyOrder("CERT_EXPIRED raised", "CERT_EXPIRING cleared");
            assertThat(alerts.active()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.CERT_EXPIRED));

            // a shorter warning (set with certs warn-days) only warns closer to the end
            CertExpiry.setWarnDays(db, 2);
            assertThat(CertExpiry.of(db).conditions(t0.toEpochMilli())).as("exactly 2 days left").isEmpty();
            assertThat(CertExpiry.of(db).conditions(t0.plus(Duration.ofHours(25)).toEpochMilli()))
                    .singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(AlertKind.CERT_EXPIRING));
        }

        // certs list shows days left and flags what expires within the warning days (2, set above)
        var out = new StringWriter();
        var err = new StringWriter();
        var http = NodeClient.newHttpClient();
        int code = new ConsoleCli(Map.of("SFU_CONSOLE_DB", file.toString(), "SFU_CONSOLE_PASSPHRASE", "pass"), "tester",
                Clock.fixed(t0.plus(Duration.ofHours(1)), ZoneOffset.UTC), http)
                .run(new PrintWriter(out), new PrintWriter(err), "certs", "list");
        http.dispatcher().executorService().shutdown();
        assertThat(code).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).contains("HOST").contains("DAYS LEFT").contains("STATUS");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("edge-1").contains(" 1 ").contains("EXPIRING (!)")
                .endsWith("yes"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("edge-2").contains(" 396 ").contains(" ok "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("edge-3").contains(" 0 ").contains("EXPIRING (!)")
                .endsWith("no"));
    }
}
