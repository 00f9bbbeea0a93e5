package io.sfufleet.console.provision;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.release.BundleVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Installs a node on a trusted host from the signed offline bundle: check the disk before writing,
 * upload over SFTP (to a {@code .partial} name, renamed when complete), check the bundle's
 * {@code install.sh} against the signed MANIFEST with the site key before running it, let it verify
 * and unpack the release and switch {@code current}, write the config and the secrets, start the
 * node (systemd where it runs, else supervised with a PID file), wait for {@code /readyz} with the
 * API token, and register the node in the inventory with that token, encrypted.
 *
 * <p>Re-running is safe: a release that is already current is not uploaded again, a running node
 * with the same config is left alone, and the token in the inventory is kept.
 */
public final class Installer {
    private static final Pattern BUNDLE_NAME = Pattern.compile("sfu-server-([0-9A-Za-z][0-9A-Za-z._+-]*)-linux-x64\\.tar\\.gz");
    private static final Duration T = Duration.ofMinutes(3);

    private final Inventory inventory;
    private final AuditLog audit;
    private final OkHttpClient http;
    private final Duration readyTimeout;
    private final SecureRandom random = new SecureRandom();

    public Installer(Inventory inventory, AuditLog audit, OkHttpClient http, Duration readyTimeout) {
        this.inventory = inventory;
        this.audit = audit;
        this.http = http;
        this.readyTimeout = readyTimeout;
    }

    /** How the node was started. */
    public enum StartMode {
        SYSTEMD, SUPERVISED
    }

    /** What an install did; {@code uploaded} is false on a re-run of the current release. */
    public record Result(String version, boolean uploaded, boolean restarted, StartMode mode, NodeEntry node) {
    }

    /** Progress of one host's job: stages as text, upload bytes as numbers. */
    public interface Progress {
        void stage(String what);

        void uploaded(long bytes, long total);

        static Progress none() {
            return new Progress() {
                @Override
                public void stage(String what) {
                }

                @Override
                public void uploaded(long bytes, long total) {
                }
            };
        }
    }

    public Result install(HostSession s, Path bundle, Path siteKey, NodeSpec spec, Progress progress) {
        return install(s, bundle, siteKey, spec, spec.toml(), progress);
    }

    /**
     * As {@link #install(HostSession, Path, Path, NodeSpec, Progress)}, writing {@code configToml} (the
     * host's desired config, rendered from the console's model) as etc/sfu.toml; {@code spec} still
     * names the node and gives its API URL, so they must agree.
     */
    public Result install(HostSession s, Path bundle, Path siteKey, NodeSpec spec, String configToml,
            Progress progress) {
        String target = bundle.getFileName().toString();
        try {
            Result r = run(s, bundle, siteKey, spec, configToml, progress);
            audit.record(spec.nodeName(), "provision.install", target, "ok: " + r.version() + " ("
                    + r.mode().name().toLowerCase(java.util.Locale.ROOT) + (r.uploaded() ? "" : ", already current")
                    + ")");
            return r;
        } catch (RuntimeException e) {
            audit.record(spec.nodeName(), "provision.install", target, "error: " + e.getMessage());
            throw e;
        }
    }

    /** The version in a bundle's file name; refuses a name that is not an sfu-server bundle's. */
    public static String versionOf(Path bundle) {
        Matcher m = BUNDLE_NAME.matcher(bundle.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an sfu-server bundle name (sfu-server-VERSION-linux-x64.tar.gz): "
                    + bundle.getFileName());
        }
        return m.group(1);
    }

    /** What a host runs: the {@code current} link ("releases/VERSION", empty before the first install). */
    public record HostState(String current, StartMode mode) {
        /** The version {@code current} points at, or empty. */
        public String currentVersion() {
            return current.startsWith("releases/") ? current.substring("releases/".length()) : current;
        }
    }

    /** Reads {@code current} and how the node is started there (systemd when it runs and we are root). */
    public HostState state(HostSession s) {
        String q = Shell.quote(s.host().prefix());
        String current = s.exec("readlink " + q + "/current 2>/dev/null || true", T).stdout().strip();
        return new HostState(current, startMode(s));
    }

    private Result run(HostSession s, Path bundle, Path siteKey, NodeSpec spec, String configToml,
            Progress progress) {
        String version = versionOf(bundle);
        String p = s.host().prefix();
        String q = Shell.quote(p);

        progress.stage("state");
        HostState state = state(s);
        String current = state.current();
        StartMode mode = state.mode();
        String token = inventory.find(spec.nodeName()).map(NodeEntry::token).filter(t -> t != null && !t.isEmpty())
                .orElseGet(this::newSecret);

        boolean upload = !current.equals("releases/" + version);
        if (upload) {
            uploadAndCheck(s, bundle, siteKey, version, progress);
        }
        progress.stage("config");
        writeConfig(s, configToml, token);

        if (upload) {
            progress.stage("install");
            // Without systemd the sysctl drop-in and the unit are left out (--no-system): the preflight
            // said so, and the node is started supervised below.
            ExecResult installed = s.privileged("sh " + q + "/incoming/check/sfu-server-" + version + "/install.sh --prefix "
                    + q + (mode == StartMode.SYSTEMD ? "" : " --no-system") + " --key " + q + "/incoming/site.pub " + q
                    + "/incoming/" + Shell.quote(bundle.getFileName().toString()), T);
            s.exec("rm -rf " + q + "/incoming", T);
            if (!installed.ok()) {
                throw new ProvisionException("install.sh on " + s.host().name() + " refused the bundle: "
                        + (installed.stderr() + installed.stdout()).strip() + ". The running release is untouched.");
            }
        }

        progress.stage("start");
        boolean restarted = false;
        if (upload || !ready(spec.apiUrl(), token)) {
            restarted = true;
            restart(s, mode);
        }
        progress.stage("ready");
        try {
            waitReady(s, spec.nodeName(), spec.apiUrl(), token);
        } catch (ProvisionException e) {
            if (upload && !current.isEmpty()) {
                rollBack(s, mode);
                String outcome;
                try {
                    waitReady(s, spec.nodeName(), spec.apiUrl(), token, rollbackReadyTimeout());
                    outcome = "), which is running and ready again.";
                } catch (ProvisionException again) {
                    outcome = "), which did not become ready either: " + again.getMessage();
                }
                throw new ProvisionException(e.getMessage() + "\nRolled back to the previous release (" + current
                        + outcome, e);
            }
            throw e;
        }

        progress.stage("register");
        NodeEntry node = inventory.find(spec.nodeName()).isPresent()
                ? inventory.update(spec.nodeName(), spec.apiUrl(), token)
                : inventory.add(spec.nodeName(), spec.apiUrl(), token);
        return new Result(version, upload, restarted, mode, node);
    }

    /**
     * Disk check, the whole bundle checked here, upload to a {@code .partial} name (anything an
     * interrupted run left in {@code incoming} is removed first), then the bundle's install.sh checked
     * on the host against the signed MANIFEST with the site key. Leaves the checked install.sh in
     * {@code incoming/check}; touches no release.
     */
    private static void uploadAndCheck(HostSession s, Path bundle, Path siteKey, String version, Progress progress) {
        long size;
        try {
            size = Files.size(bundle);
            if (!Files.isRegularFile(siteKey)) {
                throw new IllegalArgumentException("no site public key at " + siteKey);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the bundle " + bundle + ": " + e.getMessage(), e);
        }
        String p = s.host().prefix();
        String q = Shell.quote(p);
        progress.stage("disk");
        // unpacked, a release is about twice the compressed bundle; with the upload itself, 3x
        long need = 3 * size;
        String df = s.exec("p=" + q + "; while [ ! -e \"$p\" ]; do p=$(dirname \"$p\"); done; "
                + "df -Pk \"$p\" | awk 'NR==2 {print $4}'", T).require().strip();
        long free = Long.parseLong(df) * 1024;
        if (free < need) {
            throw new ProvisionException("not enough disk on " + s.host().name() + " under " + p + ": "
                    + free / 1_048_576 + " MiB free, the install needs " + need / 1_048_576
                    + " MiB; free space or choose another prefix. Nothing was uploaded.");
        }
        // the whole bundle is checked here too, so a changed or foreign one never reaches a host
        progress.stage("check");
        try {
            BundleVerifier.verify(bundle, siteKey);
        } catch (io.sfufleet.release.BundleRejectedException e) {
            throw new ProvisionException("the bundle " + bundle.getFileName() + " failed its signature check"
                    + " against the site key: " + String.join("; ", e.reasons())
                    + ". Nothing was uploaded; the running release is untouched.");
        } catch (IOException e) {
            throw new ProvisionException("cannot check the bundle " + bundle + ": " + e.getMessage()
                    + ". Nothing was uploaded; the running release is untouched.");
        }
        progress.stage("upload");
        // A connection cut mid-upload leaves a .partial (never renamed, so never installed): this run
        // starts from a clean incoming directory rather than trusting what is there.
        s.exec("rm -rf " + q + "/incoming && mkdir -p " + q + "/incoming", T).require();
        String remote = p + "/incoming/" + bundle.getFileName();
        s.upload(bundle, remote + ".partial", sent -> progress.uploaded(sent, size));
        s.upload(siteKey, p + "/incoming/site.pub", sent -> { });
        s.exec("mv -f " + Shell.quote(remote + ".partial") + " " + Shell.quote(remote), T).require();

        progress.stage("verify");
        // The bundle's install.sh does the checks, so it is checked first: its line in the MANIFEST,
        // and the MANIFEST's signature with the site key (not with anything from the bundle).
        String top = "sfu-server-" + version;
        String check = String.join(" && ",
                "cd " + q + "/incoming", "rm -rf check", "mkdir check",
                "tar -xzf " + Shell.quote(bundle.getFileName().toString()) + " -C check " + top + "/MANIFEST "
                        + top + "/MANIFEST.sig " + top + "/install.sh",
                "openssl pkeyutl -verify -pubin -inkey site.pub -rawin -in check/" + top + "/MANIFEST -sigfile check/"
                        + top + "/MANIFEST.sig >/dev/null",
                "(cd check/" + top + " && grep '  install.sh$' MANIFEST | sha256sum --check --strict --quiet)");
        ExecResult checked = s.exec(check, T);
        if (!checked.ok()) {
            s.exec("rm -rf " + q + "/incoming", T);
            throw new ProvisionException("the bundle " + bundle.getFileName() + " failed its signature check on "
                    + s.host().name() + " (" + (checked.stderr().strip() + " " + checked.stdout().strip()).strip()
                    + "): it was changed, or signed with another site key. Nothing was installed; the running "
                    + "release is untouched.");
        }
    }

    /**
     * Puts a new release on the host without switching to it (for a rolling upgrade): upload and
     * checks as {@link #install}, then {@code install.sh --stage}, which verifies and unpacks it into
     * {@code releases/VERSION}. The running node is not touched. Returns the staged version.
     */
    public String stage(HostSession s, Path bundle, Path siteKey, Progress progress) {
        String version = versionOf(bundle);
        String q = Shell.quote(s.host().prefix());
        uploadAndCheck(s, bundle, siteKey, version, progress);
        progress.stage("unpack");
        ExecResult staged = s.privileged("sh " + q + "/incoming/check/sfu-server-" + version + "/install.sh --prefix "
                + q + " --key " + q + "/incoming/site.pub --stage " + q + "/incoming/"
                + Shell.quote(bundle.getFileName().toString()), T);
        s.exec("rm -rf " + q + "/incoming", T);
        if (!staged.ok()) {
            throw new ProvisionException("install.sh --stage on " + s.host().name() + " refused the bundle: "
                    + (staged.stderr() + staged.stdout()).strip() + ". The running release is untouched.");
        }
        return version;
    }

    /**
     * Points {@code current} at a staged release (install.sh --switch of that release, which also
     * installs the unit where systemd runs); the caller restarts the node.
     */
    public void switchTo(HostSession s, StartMode mode, String version) {
        String q = Shell.quote(s.host().prefix());
        ExecResult r = s.privileged("sh " + q + "/releases/" + Shell.quote(version) + "/install.sh --prefix " + q
                + (mode == StartMode.SYSTEMD ? "" : " --no-system") + " --switch " + Shell.quote(version), T);
        if (!r.ok()) {
            throw new ProvisionException("install.sh --switch " + version + " on " + s.host().name() + " failed: "
                    + (r.stderr() + r.stdout()).strip());
        }
    }

    /** Restarts the node on the current release: systemctl, or the supervised stop and start. */
    public void restart(HostSession s, StartMode mode) {
        restartAs(s, mode);
    }

    /** install.sh --rollback of the (verified) new release switches current back; then start that one. */
    public void rollBack(HostSession s, StartMode mode) {
        String q = Shell.quote(s.host().prefix());
        s.privileged("sh " + q + "/current/install.sh --prefix " + q
                + (mode == StartMode.SYSTEMD ? "" : " --no-system") + " --rollback", T).require();
        if (mode == StartMode.SUPERVISED) {
            supervisedRestart(s);
        }
    }

    /** Systemd where it runs and we are root, else supervised with a PID file. */
    public StartMode startMode(HostSession s) {
        return startModeOf(s);
    }

    private void writeConfig(HostSession s, String configToml, String token) {
        String q = Shell.quote(s.host().prefix());
        // The node refuses to start with an empty join-token secret; a new one per install of a
        // fresh host, kept across re-runs (the env file is not rewritten when it has one).
        String script = String.join("\n",
                "set -e",
                "mkdir -p " + q + "/etc " + q + "/run " + q + "/log",
                "cat > " + q + "/etc/.sfu.toml.new <<'SFU_EOF'",
                configToml + (configToml.endsWith("\n") ? "" : "\n") + "SFU_EOF",
                "mv -f " + q + "/etc/.sfu.toml.new " + q + "/etc/sfu.toml",
                "secret=$(sed -n 's/^SFU_AUTH_JOIN_TOKEN_SECRET=//p' " + q + "/etc/sfu-server.env 2>/dev/null || true)",
                "[ -n \"$secret\" ] || secret=" + Shell.quote(newSecret()),
                "(umask 077 && printf 'SFU_API_TOKEN=%s\\nSFU_AUTH_JOIN_TOKEN_SECRET=%s\\n' " + Shell.quote(token)
                        + " \"$secret\" > " + q + "/etc/.sfu-server.env.new)",
                "mv -f " + q + "/etc/.sfu-server.env.new " + q + "/etc/sfu-server.env", "");
        s.privileged(script, T).require();
    }

    /**
     * Restarts the installed node the way it was started (systemd where it runs and the login is
     * root, else supervised with the PID file), e.g. after its certificate changed.
     */
    public static void restart(HostSession s) {
        restartAs(s, startModeOf(s));
    }

    static StartMode startModeOf(HostSession s) {
        boolean systemd = s.exec("test -d /run/systemd/system", T).ok();
        return systemd && s.root() ? StartMode.SYSTEMD : StartMode.SUPERVISED;
    }

    private static void restartAs(HostSession s, StartMode mode) {
        if (mode == StartMode.SYSTEMD) {
            s.privileged("systemctl restart sfu-server.service", T).require();
        } else {
            supervisedRestart(s);
        }
    }

    /** Without systemd: stop the node of the PID file (if it is one of ours), start the current release. */
    private static void supervisedRestart(HostSession s) {
        String q = Shell.quote(s.host().prefix());
        String script = String.join("\n",
                "pidfile=" + q + "/run/sfu-server.pid",
                "if [ -s \"$pidfile\" ] && pid=$(cat \"$pidfile\") && kill -0 \"$pid\" 2>/dev/null; then",
                "  kill \"$pid\"",
                "  i=0; while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                "  kill -0 \"$pid\" 2>/dev/null && kill -9 \"$pid\"",
                "fi",
                "cd " + q,
                "set -a; . " + q + "/etc/sfu-server.env; set +a",
                "setsid " + q + "/current/bin/sfu-server --config " + q + "/etc/sfu.toml >> " + q
                        + "/log/sfu-server.log 2>&1 < /dev/null &",
                "echo $! > \"$pidfile\"",
                "");
        s.privileged(script, T).require();
    }

    /**
     * Polls /readyz with the API token until 200 or the ready timeout; then fails with the log's tail.
     * Fails at once, with the log's tail too, when the node process exits meanwhile (a node that
     * cannot bind its port, say, exits at once and would otherwise cost the whole timeout).
     */
    public void waitReady(HostSession s, String nodeName, String apiUrl, String token) {
        waitReady(s, nodeName, apiUrl, token, readyTimeout);
    }

    /**
     * How long a release that was rolled back to gets to be ready: the ready timeout, but at least
     * three minutes. That release ran before; a timeout short enough to catch a broken new release
     * quickly must not make the rollback look failed on a slow or busy host.
     */
    public Duration rollbackReadyTimeout() {
        return readyTimeout.compareTo(T) > 0 ? readyTimeout : T;
    }

    /** As {@link #waitReady(HostSession, String, String, String)}, with its own timeout. */
    public void waitReady(HostSession s, String nodeName, String apiUrl, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        NodeProcess process = null;  // watched from the first "not ready": a ready node costs no SSH command
        while (System.nanoTime() < deadline) {
            if (ready(apiUrl, token)) {
                return;
            }
            if (process == null) {
                process = NodeProcess.watch(s);
            }
            String exited = process.exited();
            if (exited != null) {
                throw exitedDuringStart(s, apiUrl, exited, process.logTail(20));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisionException("interrupted while waiting for " + nodeName + " to be ready", e);
            }
        }
        String log = process != null ? process.logTail(20) : NodeProcess.logTail(s, startModeOf(s), 20);
        throw new ProvisionException("the node on " + s.host().name() + " did not answer /readyz at " + apiUrl
                + " within " + timeout.toSeconds() + " s; check its log (" + s.host().prefix()
                + "/log/sfu-server.log or journalctl -u sfu-server)" + (log.isBlank() ? "" : ":\n" + log.strip()));
    }

    /**
     * The failure of a node that exited before it was ready: the first line says so, with the node's
     * own reason where its log ends with one ({@link NodeProcess#startFailure}), then the log's tail
     * as the timeout's failure gives it.
     */
    private static ProvisionException exitedDuringStart(HostSession s, String apiUrl, String why, String log) {
        String reason = NodeProcess.startFailure(log);
        return new ProvisionException("the node on " + s.host().name() + " exited during start"
                + (reason == null ? "" : ": " + reason) + " ("
                + why + "; it never answered /readyz at " + apiUrl + "); check its log (" + s.host().prefix()
                + "/log/sfu-server.log or journalctl -u sfu-server)" + (log.isBlank() ? "" : ":\n" + log.strip()));
    }

    private boolean ready(String apiUrl, String token) {
        Request req = new Request.Builder().url(apiUrl + "/readyz").header("Authorization", "Bearer " + token)
                .build();
        try (Response r = http.newCall(req).execute()) {
            return r.code() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String newSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
