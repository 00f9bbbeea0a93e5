package io.sfufleet.console.cli;

import io.sfufleet.console.pki.CertExpiry;
import io.sfufleet.console.pki.CertPusher;
import io.sfufleet.console.pki.CertStore;
import io.sfufleet.console.pki.Certificates;
import io.sfufleet.console.pki.NodeCert;
import io.sfufleet.console.pki.SiteCa;
import io.sfufleet.console.pki.SubjectNames;
import io.sfufleet.console.provision.HostSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ca create|show} and {@code certs issue|push|list|warn-days}: the console as the site's CA. */
final class PkiCommands {
    private PkiCommands() {
    }

    static SiteCa siteCa(ConsoleCli.Store s, java.time.Clock clock) {
        return new SiteCa(new CertStore(s.database()), s.inventory(), s.audit(), clock, new SecureRandom());
    }

    @Command(name = "ca", description = "The site's certificate authority, kept by this console.",
            subcommands = CommandLine.HelpCommand.class)
    static final class Ca {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "create", description = "Create the site CA (ECDSA P-256, 10 years); its key stays in the "
                + "console database, encrypted with the console passphrase.")
        int create(@Option(names = "--name", required = true, description = "shown in trust stores, e.g. "
                + "\"Example Corp SFU CA\"") String name,
                   @Option(names = "--replace", description = "replace the existing CA (every node certificate must "
                           + "then be issued and pushed again)") boolean replace) {
            return root.withStore(s -> {
                CertStore.CaRow ca = siteCa(s, root.clock).create(name, replace);
                root.out.println("created the site CA \"" + ca.name() + "\", valid until "
                        + ca.certificate().getNotAfter().toInstant());
                root.out.println("SHA-256 fingerprint " + Certificates.sha256(ca.certificate()));
                root.out.println("export it for browsers and OS trust stores with: sfu-console ca show --pem > ca.crt");
                return ConsoleCli.EXIT_OK;
            });
        }

        @Command(name = "show", description = "The site CA's certificate (no passphrase needed: it is public).")
        int show(@Option(names = "--pem", description = "print only the certificate in PEM, for trust stores")
                 boolean pem) {
            return root.withStore(s -> {
                CertStore.CaRow ca = siteCa(s, root.clock).requireCa();
                if (pem) {
                    root.out.print(ca.certificatePem());
                    return ConsoleCli.EXIT_OK;
                }
                var c = ca.certificate();
                root.out.println("name         " + ca.name());
                root.out.println("subject      " + c.getSubjectX500Principal().getName());
                root.out.println("serial       " + Certificates.serialHex(c));
                root.out.println("valid        " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant());
                root.out.println("sha256       " + Certificates.sha256(c));
                return ConsoleCli.EXIT_OK;
            });
        }
    }

    @Command(name = "certs", description = "Node certificates signed by the site CA.",
            subcommands = CommandLine.HelpCommand.class)
    static final class Certs {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "issue", description = "Issue a certificate for a host's node (a new ECDSA P-256 key made "
                + "here); install it with certs push.")
        int issue(@Parameters(paramLabel = "HOST", description = "host (node) name") String host,
                  @Option(names = "--ip", paramLabel = "ADDRESS", description = "an IP address the node is reached at "
                          + "(repeatable)") List<String> ips,
                  @Option(names = "--dns", paramLabel = "NAME", description = "a DNS name the node is reached at "
                          + "(repeatable)") List<String> dns,
                  @Option(names = "--days", defaultValue = "397", description = "validity, 1 to 397 days (default "
                          + "${DEFAULT-VALUE})") int days) {
            SubjectNames names = new SubjectNames(ips, dns);
            return root.withStore(s -> {
                NodeCert c = siteCa(s, root.clock).issue(host, names, Duration.ofDays(days));
                root.out.println("issued for " + host + ": serial " + c.serial() + ", " + c.names().text() + ", valid "
                        + "until " + c.notAfter());
                root.out.println("install it with: sfu-console certs push " + host);
                return ConsoleCli.EXIT_OK;
            });
        }

        @Command(name = "push", description = "Install the host's newest certificate, switch its node to HTTPS/WSS "
                + "and an HTTPS admin API, restart it and wait until it is ready (renewal: issue, then push again).")
        int push(@Parameters(paramLabel = "HOST") String host,
                 @Option(names = "--ready-timeout", defaultValue = "180", paramLabel = "SECONDS",
                         description = "how long to wait for /readyz over HTTPS (default ${DEFAULT-VALUE})")
                 int readySeconds) {
            return root.withStore(s -> {
                var hosts = HostCommands.service(s, root.clock);
                hosts.require(host);
                CertPusher pusher = new CertPusher(siteCa(s, root.clock),
                        ConfigCommands.service(s, root, Duration.ofSeconds(readySeconds)), s.inventory(), s.audit(), root.http,
                        Duration.ofSeconds(readySeconds), root.clock);
                try (HostSession session = hosts.connect(host)) {
                    CertPusher.Result r = pusher.push(session, stage -> {
                        root.out.println(host + ": " + stage);
                        root.out.flush();
                    });
                    root.out.println(host + ": " + (r.renewal() ? "renewed" : "now on HTTPS") + ", serial "
                            + r.certificate().serial() + " until " + r.certificate().notAfter() + "; API at "
                            + r.apiUrl());
                }
                return ConsoleCli.EXIT_OK;
            });
        }

        /** What {@code certs list --json} prints. */
        public record CertView(String host, String serial, String names, long notBeforeMillis, long notAfterMillis,
                long daysLeft, String sha256, boolean installed, String status) {
        }

        @Command(name = "list", description = "Issued certificates with the days left; EXPIRED and EXPIRING "
                + "flagged (the warning days are set with certs warn-days).")
        int list(@Option(names = "--json", description = "print as JSON") boolean asJson) {
            return root.withStore(s -> {
                CertStore store = new CertStore(s.database());
                int warn = CertExpiry.warnDays(s.database());
                Instant now = root.clock.instant();
                List<String> installed = store.installed().stream().map(NodeCert::serial).toList();
                List<CertView> views = store.list().stream().map(c -> new CertView(c.host(), c.serial(),
                        c.names().text(), c.notBefore().toEpochMilli(), c.notAfter().toEpochMilli(), c.daysLeft(now),
                        c.sha256(),
                        installed.contains(c.serial()), c.expired(now) ? "EXPIRED"
                                : c.daysLeft(now) < warn ? "EXPIRING" : "ok")).toList();
                if (asJson) {
                    root.printJson(views);
                } else {
                    Table t = new Table("HOST", "SERIAL", "NAMES", "NOT AFTER", "DAYS LEFT", "STATUS", "ON NODE");
                    views.forEach(v -> t.row(v.host(), v.serial(), v.names(), Instant.ofEpochMilli(v.notAfterMillis()),
                            v.daysLeft(),
                            v.status().equals("ok") ? "ok" : v.status() + " (!)", v.installed() ? "yes" : "no"));
                    t.print(root.out);
                }
                return ConsoleCli.EXIT_OK;
            });
        }

        @Command(name = "warn-days", description = "Show or set how many days before expiry CERT_EXPIRING is raised "
                + "(default " + CertExpiry.DEFAULT_WARN_DAYS + ").")
        int warnDays(@Parameters(arity = "0..1", paramLabel = "DAYS") Integer days) {
            return root.withStore(s -> {
                if (days != null) {
                    CertExpiry.setWarnDays(s.database(), days);
                    s.audit().record(null, "pki.warn-days", String.valueOf(days), "ok");
                }
                root.out.println("certificate expiry warning: " + CertExpiry.warnDays(s.database()) + " days ahead");
                return ConsoleCli.EXIT_OK;
            });
        }
    }
}
