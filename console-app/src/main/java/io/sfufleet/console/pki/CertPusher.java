package io.sfufleet.console.pki;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.SiteTrust;
import io.sfufleet.console.provision.ExecResult;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeProcess;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.NodeConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Installs a host's newest certificate on it and switches the node to HTTPS/WSS and an HTTPS admin
 * API: {@code <prefix>/etc/tls/node.crt} (leaf and CA) and {@code node.key} (0600, owned by the user
 * the node runs as), each written to a temporary name and renamed; the config rendered from the
 * installed one with the TLS keys; a restart; {@code /readyz} over HTTPS, trusting only what the
 * console trusts, with the new certificate served. Only then are the previous files
 * ({@code .prev}) removed, the inventory's API URL switched and the config recorded as the host's
 * desired and written one ({@link ConfigService#recordApplied}), so keys set with {@code config set}
 * stay, {@code config drift} sees no drift and a later {@code config push} keeps the TLS paths; a
 * node that does not become ready is put back on its previous certificate and config and restarted,
 * and nothing is recorded. Renewal is the same push.
 *
 * <p>The certificate files and the config are written, restarted and rolled back together here
 * rather than by {@link ConfigService#push} (whose roll back knows only sfu.toml): a node on a new
 * config but an old key, or the reverse, must never be left behind.
 */
public final class CertPusher {
    private static final Duration T = Duration.ofMinutes(2);

    private final SiteCa ca;
    private final ConfigService configs;
    private final Inventory inventory;
    private final AuditLog audit;
    private final OkHttpClient http;
    private final Duration readyTimeout;
    private final Clock clock;

    /** @param http the console's client; the site CA is added to what it trusts */
    public CertPusher(SiteCa ca, ConfigService configs, Inventory inventory, AuditLog audit, OkHttpClient http, Duration readyTimeout,
            Clock clock) {
        this.ca = ca;
        this.configs = configs;
        this.inventory = inventory;
        this.audit = audit;
        this.http = http;
        this.readyTimeout = readyTimeout;
        this.clock = clock;
    }

    /** What a push did. */
    public record Result(NodeCert certificate, String apiUrl, boolean renewal) {
    }

    public Result push(HostSession s, Consumer<String> stage) {
        String host = s.host().name();
        try {
            Result r = run(s, stage);
            audit.record(host, "pki.cert.push", "serial " + r.certificate().serial(), "ok: " + r.apiUrl()
                    + (r.renewal() ? " (renewed)" : ""));
            return r;
        } catch (RuntimeException e) {
            audit.record(host, "pki.cert.push", null, "error: " + e.getMessage());
            throw e;
        }
    }

    private Result run(HostSession s, Consumer<String> stage) {
        String host = s.host().name();
        NodeCert cert = ca.latest(host);
        X509Certificate caCert = ca.caCertificate();
        X509Certificate leaf = cert.certificate();
        if (cert.expired(clock.instant())) {
            throw new IllegalStateException("the newest certificate of " + host + " (serial " + cert.serial()
                    + ") expired on " + cert.notAfter() + ": issue a new one with sfu-console certs issue " + host);
        }
        try {
            leaf.verify(caCert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the newest certificate of " + host + " (serial " + cert.serial()
                    + ") was signed by an earlier site CA: issue it again with sfu-console certs issue " + host);
        }
        NodeEntry node = inventory.require(host);
        String p = s.host().prefix();
        String q = io.sfufleet.console.provision.Shell.quote(p);

        stage.accept("config");
        ExecResult cat = s.privileged("cat " + q + "/etc/sfu.toml", T);
        if (!cat.ok()) {
            throw new ProvisionException("cannot read " + p + "/etc/sfu.toml on " + host + " (" + cat.stderr().strip()
                    + "): install the node with sfu-console install first");
        }
        // the desired config (with what config set changed) plus the TLS keys; the URL from its ports
        NodeConfig config = configs.withTls(host, cat.stdout(), p + "/etc/tls/node.crt", p + "/etc/tls/node.key");
        NodeSpec spec = InstalledConfig.parse(host, config.toml()).withTls(p + "/etc/tls/node.crt",
                p + "/etc/tls/node.key");
        String urlHost = HttpUrl.get(spec.apiUrl()).host();
        if (!cert.names().covers(urlHost)) {
            throw new IllegalArgumentException("the certificate of " + host + " names " + cert.names().text()
                    + " but the console reaches the node at " + urlHost + ": issue it again with --ip or --dns "
                    + urlHost + " among its names");
        }
        OkHttpClient trusting = SiteTrust.trusting(http, List.of(caCert));

        stage.accept("upload");
        boolean systemd = s.root() && s.exec("test -d /run/systemd/system", T).ok();
        String key = Certificates.pem(ca.nodeKey(cert));
        String chain = Certificates.pem(leaf) + Certificates.pem(caCert);
        String d = q + "/etc/tls";
        ExecResult wrote = s.privileged(String.join("\n",
                "set -e",
                "mkdir -p " + d,
                "chmod 755 " + d,
                "renewal=0",
                "for f in node.crt node.key; do",
                "  if [ -f " + d + "/$f ]; then cp -p " + d + "/$f " + d + "/$f.prev; renewal=1; fi",
                "done",
                "cp -p " + q + "/etc/sfu.toml " + q + "/etc/sfu.toml.prev",
                "(umask 077 && cat > " + d + "/.node.key.new <<'PKI_EOF'",
                key + "PKI_EOF",
                ")",
                // the node reads its key as the service user: under systemd that is sfu, else root started it
                systemd ? "if id sfu >/dev/null 2>&1; then chown sfu:sfu " + d + "/.node.key.new; fi" : ":",
                "chmod 600 " + d + "/.node.key.new",
                "mv -f " + d + "/.node.key.new " + d + "/node.key",
                "cat > " + d + "/.node.crt.new <<'PKI_EOF'",
                chain + "PKI_EOF",
                "chmod 644 " + d + "/.node.crt.new",
                "mv -f " + d + "/.node.crt.new " + d + "/node.crt",
                "cat > " + q + "/etc/.sfu.toml.new <<'SFU_EOF'",
                config.toml() + (config.toml().endsWith("\n") ? "" : "\n") + "SFU_EOF",
                "chmod --reference=" + q + "/etc/sfu.toml " + q + "/etc/.sfu.toml.new",
                "chown --reference=" + q + "/etc/sfu.toml " + q + "/etc/.sfu.toml.new",
                "mv -f " + q + "/etc/.sfu.toml.new " + q + "/etc/sfu.toml",
                "echo renewal=$renewal", ""), T);
        if (!wrote.ok()) {
            // the files may be half written: put back what was there
            restore(s);
            throw new ProvisionException("writing the certificate to " + host + " failed: "
                    + (wrote.stderr() + wrote.stdout()).strip() + ". The previous certificate and config are back.");
        }
        boolean renewal = wrote.stdout().contains("renewal=1");

        stage.accept("restart");
        Installer.restart(s);
        stage.accept("ready");
        NotReady problem = waitReady(s, trusting, spec.apiUrl(), node.token(), cert.sha256());
        if (problem != null) {
            // the log's tail of the failed start, before the restart below adds the next one's lines
            String log = problem.exited() ? problem.log() : "";
            restore(s);
            Installer.restart(s);
            NotReady back = waitReady(s, trusting, node.apiUrl(), node.token(), null);
            if (!problem.exited()) {
                log = s.exec("tail -n 20 " + q + "/log/sfu-server.log 2>/dev/null", T).stdout().strip();
            }
            throw new ProvisionException("the node on " + host + (problem.exited()
                    ? " exited during start with the new certificate"
                    : " did not become ready over HTTPS with the new certificate within " + readyTimeout.toSeconds()
                            + " s") + " (" + problem.why() + "). Put back the "
                    + (renewal ? "previous certificate" : "plain HTTP config") + " and restarted: "
                    + (back == null ? "it is ready again at " + node.apiUrl() : "it is NOT ready either ("
                            + back.why() + "); check " + p + "/log/sfu-server.log") + (log.isEmpty() ? "" : "\n" + log));
        }
        s.privileged("rm -f " + d + "/node.crt.prev " + d + "/node.key.prev " + q + "/etc/sfu.toml.prev", T).require();
        ca.store().markPushed(cert.serial(), clock.millis());
        inventory.update(host, spec.apiUrl(), null);
        configs.recordApplied(host, config, "the certificate push of serial " + cert.serial());
        return new Result(ca.store().bySerial(cert.serial()).orElseThrow(), spec.apiUrl(), renewal);
    }

    /** Back to the files of before the push: the .prev copies, or no TLS files at all on a first push. */
    private static void restore(HostSession s) {
        String q = io.sfufleet.console.provision.Shell.quote(s.host().prefix());
        String d = q + "/etc/tls";
        s.privileged(String.join("\n",
                "for f in node.crt node.key; do",
                "  if [ -f " + d + "/$f.prev ]; then mv -f " + d + "/$f.prev " + d + "/$f; else rm -f " + d + "/$f; fi",
                "done",
                "rm -f " + d + "/.node.key.new " + d + "/.node.crt.new " + q + "/etc/.sfu.toml.new",
                "if [ -f " + q + "/etc/sfu.toml.prev ]; then mv -f " + q + "/etc/sfu.toml.prev " + q + "/etc/sfu.toml; fi",
                ""), T).require();
    }

    /**
     * Why a node was not ready; {@code exited} when its process ended (then with the log's tail) rather
     * than the ready timeout passing.
     */
    private record NotReady(String why, boolean exited, String log) {
    }

    /**
     * Null when ready (and, if {@code sha256} is given, serving that certificate); else why not. Ends
     * at once when the node process exits, as a node that cannot read its key or bind its port does.
     */
    private NotReady waitReady(HostSession s, OkHttpClient client, String apiUrl, String token, String sha256) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        String last = "no answer yet";
        NodeProcess process = null;
        while (System.nanoTime() < deadline) {
            Request.Builder req = new Request.Builder().url(apiUrl + "/readyz");
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            try (Response r = client.newCall(req.build()).execute()) {
                if (sha256 != null && !served(r, sha256)) {
                    last = "it serves another certificate";
                } else if (r.code() == 200) {
                    return null;
                } else {
                    last = "/readyz answered " + r.code();
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (process == null) {
                process = NodeProcess.watch(s);
            }
            String exited = process.exited();
            if (exited != null) {
                String log = process.logTail(20);
                String reason = NodeProcess.startFailure(log);
                return new NotReady((reason == null ? "" : reason + "; ") + exited, true, log);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisionException("interrupted while waiting for the node at " + apiUrl, e);
            }
        }
        return new NotReady(last, false, "");
    }

    private static boolean served(Response r, String sha256) {
        if (r.handshake() == null) {
            return false;
        }
        List<Certificate> peer = r.handshake().peerCertificates();
        return !peer.isEmpty() && peer.getFirst() instanceof X509Certificate x && Certificates.sha256(x).equals(sha256);
    }
}
