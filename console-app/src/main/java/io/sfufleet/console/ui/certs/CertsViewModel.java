package io.sfufleet.console.ui.certs;

import io.sfufleet.console.pki.CertExpiry;
import io.sfufleet.console.pki.CertPusher;
import io.sfufleet.console.pki.CertStore;
import io.sfufleet.console.pki.Certificates;
import io.sfufleet.console.pki.NodeCert;
import io.sfufleet.console.pki.SiteCa;
import io.sfufleet.console.pki.SubjectNames;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Certificates screen's state and commands, on the same services as {@code sfu-console ca/certs}
 * (so each change is audited the same way); everything that reads the store or reaches a host runs
 * on a worker.
 */
public final class CertsViewModel {
    private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

    /** One certificate line: days left and OK / EXPIRING / EXPIRED against the warning days. */
    public record CertRow(String host, String serial, String names, Instant notAfter, long daysLeft, String status,
            boolean installed) {
    }

    /** The CA as shown: a summary line and its certificate in PEM (empty before one is made). */
    public record CaView(String summary, String pem) {
    }

    private final Provisioning p;
    private final UiExecutor executor;
    private final Executor fx;
    private final ObservableList<CertRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> hosts = FXCollections.observableArrayList();
    private final Map<String, HostEntry> entries = new LinkedHashMap<>();
    private final StringProperty caSummary = new SimpleStringProperty("");
    private final StringProperty caPem = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");

    /** @param fx runs a task on the FX thread (the push's stages are reported there) */
    public CertsViewModel(Provisioning provisioning, UiExecutor executor, Executor fx) {
        this.p = provisioning;
        this.executor = executor;
        this.fx = fx;
    }

    private SiteCa siteCa() {
        var c = p.core();
        return new SiteCa(new CertStore(c.database()), c.inventory(), c.audit(), c.clock(), new SecureRandom());
    }

    private record Loaded(CaView ca, List<CertRow> certs, List<HostEntry> hosts) {
    }

    /** Reads the CA, the certificates and the host names. */
    public void reload() {
        executor.submit("list certificates", () -> {
            SiteCa ca = siteCa();
            Instant now = p.core().clock().instant();
            int warn = CertExpiry.warnDays(p.core().database());
            CaView view = ca.ca().map(r -> new CaView(r.name() + " — SHA-256 " + Certificates.sha256(r.certificate())
                    + ", valid until " + r.certificate().getNotAfter().toInstant(), r.certificatePem()))
                    .orElse(new CaView("No site CA yet: create one to issue node certificates.", ""));
            List<CertRow> certs = ca.list().stream().map(c -> row(c, now, warn)).toList();
            return new Loaded(view, certs, p.hosts().list());
        }, l -> {
            caSummary.set(l.ca().summary());
            caPem.set(l.ca().pem());
            rows.setAll(l.certs());
            entries.clear();
            l.hosts().forEach(h -> entries.put(h.name(), h));
            hosts.setAll(entries.keySet());
        }, t -> status.set("cannot read the certificates: " + Dialogs.message(t)));
    }

    static CertRow row(NodeCert c, Instant now, int warnDays) {
        long left = c.daysLeft(now);
        String s = c.expired(now) ? "EXPIRED" : left < warnDays ? "EXPIRING" : "OK";
        return new CertRow(c.host(), c.serial(), c.names().text(), c.notAfter(), left, s, c.pushedAtMillis() != null);
    }

    /** Creates the site CA (never replaces one: the view asks first and the CLI offers --replace). */
    public void createCa(String name, Consumer<String> onError) {
        executor.submit("create the site CA", () -> siteCa().create(name, false), r -> {
            status.set("site CA " + r.name() + " created");
            reload();
        }, t -> onError.accept(Dialogs.message(t)));
    }

    /** Writes the CA certificate in PEM to {@code file}, for browsers and OS trust stores. */
    public void exportCa(Path file, Consumer<String> onError) {
        String pem = caPem.get();
        if (pem == null || pem.isEmpty()) {
            onError.accept("there is no site CA to export yet: create one first");
            return;
        }
        executor.submit("export the site CA", () -> Files.writeString(file, pem, StandardCharsets.UTF_8),
                f -> status.set("site CA certificate written to " + f), t -> onError.accept(Dialogs.message(t)));
    }

    /** The IPs and DNS names a host's certificate starts with (from the last reload): its address. */
    public String[] prefillFor(String host) {
        HostEntry h = entries.get(host);
        return h == null ? new String[] {"", ""} : prefill(h);
    }

    /** The names a host's certificate starts with: its address, as an IP or a DNS name. */
    public static String[] prefill(HostEntry h) {
        String a = h.address();
        return IP.matcher(a).matches() ? new String[] {a, ""} : new String[] {"", a};
    }

    /** Issues a certificate for {@code host}; IPs and DNS names are comma- or space-separated. */
    public void issue(String host, String ips, String dns, int days, Consumer<String> onError) {
        executor.submit("issue a certificate for " + host, () -> {
            p.hosts().require(host);
            return siteCa().issue(host, new SubjectNames(split(ips), split(dns)), Duration.ofDays(days));
        }, c -> {
            status.set("issued for " + host + ": serial " + c.serial() + " until " + c.notAfter()
                    + "; push it to install");
            reload();
        }, t -> onError.accept(Dialogs.message(t)));
    }

    /** Installs the host's newest certificate and restarts its node on HTTPS; {@code stage} hears each step. */
    public void push(String host, Consumer<String> stage, Consumer<CertPusher.Result> onDone, Consumer<String> onError) {
        executor.submit("push the certificate of " + host, () -> {
            var c = p.core();
            CertPusher pusher = new CertPusher(siteCa(), p.configs(), c.inventory(), c.audit(), c.http(), Duration.ofMinutes(3),
                    c.clock());
            try (HostSession s = p.hosts().connect(host)) {
                return pusher.push(s, st -> fx.execute(() -> stage.accept(st)));
            }
        }, r -> {
            status.set(host + ": " + (r.renewal() ? "renewed" : "now on HTTPS") + ", API at " + r.apiUrl());
            onDone.accept(r);
            reload();
        }, t -> onError.accept(Dialogs.message(t)));
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of()
                : Arrays.stream(s.split("[,\\s]+")).filter(x -> !x.isBlank()).toList();
    }

    public ObservableList<CertRow> rows() { return rows; }
    public ObservableList<String> hosts() { return hosts; }
    public StringProperty caSummaryProperty() { return caSummary; }
    public StringProperty caPemProperty() { return caPem; }
    public StringProperty statusProperty() { return status; }
    public Provisioning provisioning() { return p; }
}
