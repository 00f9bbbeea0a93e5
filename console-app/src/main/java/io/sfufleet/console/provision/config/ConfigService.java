package io.sfufleet.console.provision.config;

import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.Shell;
import io.sfufleet.model.api.ReloadResult;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;
import io.sfufleet.model.config.ConfigRenderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Node configs per host, the way the CLI and the GUI use them: show and edit the desired config
 * (checked by the server's rules), diff it against the host's file, push it to many hosts at once,
 * and find hosts whose file was changed outside the console. Every push and drift check is audited
 * per host. Blocking: call it off the UI thread.
 *
 * <p>A push writes {@code <prefix>/etc/sfu.toml} atomically (a temporary file, then {@code mv}),
 * keeping the previous file as {@code sfu.toml.prev}; then reloads the node through its admin API
 * when every change is hot, else restarts it the way it was installed and waits for {@code /readyz}.
 * A node that refuses the file or never gets ready gets the previous file back, is reloaded or
 * restarted onto it, and the host is reported failed with the reason.
 */
public final class ConfigService {
    private static final Duration T = Duration.ofMinutes(2);

    private final HostService hosts;
    private final ConfigStore store;
    private final Inventory inventory;
    private final AuditLog audit;
    private final Installer installer;
    private final NodeActions actions;
    private final OkHttpClient http;

    public ConfigService(HostService hosts, ConfigStore store, Inventory inventory, AuditLog audit, Installer installer,
            NodeActions actions, OkHttpClient http) {
        this.hosts = hosts;
        this.store = store;
        this.inventory = inventory;
        this.audit = audit;
        this.installer = installer;
        this.actions = actions;
        this.http = http;
    }

    /**
     * The host's desired config: the stored one, else the install's defaults for it (name, address,
     * default ports), which is also what a fresh install writes.
     */
    public NodeConfig desired(String host) {
        HostEntry h = hosts.require(host);
        return store.desired(h.id()).map(t -> NodeConfig.parse(t, "the stored config of " + host))
                .orElseGet(() -> NodeConfig.of(NodeSpec.defaults(h)));
    }

    /** Applies {@code key=value} assignments to the desired config and stores it; refused changes store nothing. */
    public NodeConfig set(String host, List<String> assignments) {
        HostEntry h = hosts.require(host);
        try {
            NodeConfig next = desired(host).with(assignments);
            store.saveDesired(h.id(), next.toml());
            audit.record(host, "config.set", maskedAssignments(assignments), "ok");
            return next;
        } catch (RuntimeException e) {
            audit.record(host, "config.set", maskedAssignments(assignments), "error: " + e.getMessage());
            throw e;
        }
    }

    /**
     * The file an install writes: the host's desired config with the install's own choices (name,
     * addresses, ports) put over it, so keys edited with {@link #set} survive a re-install.
     */
    public NodeConfig forInstall(String host, NodeSpec spec) {
        return desired(host).withValues(spec.values());
    }

    /** After an install wrote {@code config}: it is the desired config, and what the host has (for drift). */
    public void recordInstalled(String host, NodeConfig config) {
        long id = hosts.require(host).id();
        store.saveDesired(id, config.toml());
        store.recordWritten(id, config.toml());
        audit.record(host, "config.install", null, "ok: written by the install");
    }

    /** The host's sfu.toml against the desired config. */
    public ConfigDiff diff(String host) {
        NodeConfig desired = desired(host);
        try (HostSession s = hosts.connect(host)) {
            return ConfigDiff.between(readHostFile(s), desired.toml());
        }
    }

    /** How one host's push went. */
    public enum Outcome {
        /** The file was written and the node reloaded it: every change was hot. */
        RELOADED,
        /** The file was written and the node restarted and is ready. */
        RESTARTED,
        /** The host already had this config; nothing was written. */
        UNCHANGED,
        /** Nothing changed on the host, or the previous file was put back: see the message. */
        FAILED
    }

    /** One host's result, with the diff that was (or would have been) applied. */
    public record PushResult(String host, Outcome outcome, ConfigDiff diff, String message, long millis) {
    }

    /** Per-host progress of a push: called from the pool's threads. */
    public interface PushProgress {
        void stage(String host, String stage);

        static PushProgress none() {
            return (host, stage) -> { };
        }
    }

    /**
     * Pushes the desired configs of {@code hostNames} with at most {@code parallel} hosts at once.
     * Every desired config is checked first: if any is invalid nothing is pushed anywhere.
     *
     * @return one result per host, in the order given
     * @throws ConfigRefusedException listing each invalid host's problems
     */
    public List<PushResult> push(List<String> hostNames, int parallel, PushProgress progress) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, not " + parallel);
        }
        List<String> names = List.copyOf(new LinkedHashSet<>(hostNames));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no hosts to push to");
        }
        var configs = new ArrayList<NodeConfig>();
        var problems = new ArrayList<ConfigProblem>();
        for (String name : names) {
            try {
                configs.add(desired(name));
                inventory.require(name);
            } catch (ConfigRefusedException e) {
                e.problems().forEach(p -> problems.add(new ConfigProblem(name + ": " + p.key(), p.value(), p.reason(),
                        p.allowed())));
            }
        }
        if (!problems.isEmpty()) {
            for (String name : names) {
                audit.record(name, "config.push", null, "error: not pushed, some host's config is invalid");
            }
            throw new ConfigRefusedException("the push is refused", problems);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, names.size()),
                Thread.ofPlatform().name("config-push-", 0).daemon().factory());
        try {
            var futures = new ArrayList<Future<PushResult>>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                NodeConfig config = configs.get(i);
                futures.add(pool.submit(() -> pushAudited(name, config, progress)));
            }
            var results = new ArrayList<PushResult>();
            for (Future<PushResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a push job failed outside its own error handling", e.getCause());
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionException("interrupted while pushing configs", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private PushResult pushAudited(String name, NodeConfig config, PushProgress progress) {
        long t0 = System.nanoTime();
        PushResult r;
        try {
            r = pushOne(name, config, progress, t0);
        } catch (RuntimeException e) {
            r = new PushResult(name, Outcome.FAILED, null, e.getMessage(), (System.nanoTime() - t0) / 1_000_000);
        }
        String keys = r.diff() == null ? null : String.join(", ", r.diff().changes().stream()
                .map(ConfigDiff.Change::key).toList());
        audit.record(name, "config.push", keys == null || keys.isEmpty() ? null : keys,
                (r.outcome() == Outcome.FAILED ? "error: " : "ok: " + r.outcome().name().toLowerCase(java.util.Locale.ROOT)
                        + (r.message().isEmpty() ? "" : ", ")) + r.message());
        progress.stage(name, r.outcome() == Outcome.FAILED ? "failed" : "done");
        return r;
    }

    private PushResult pushOne(String name, NodeConfig config, PushProgress progress, long t0) {
        String toml = config.toml();
        NodeEntry node = inventory.require(name);
        progress.stage(name, "connect");
        try (HostSession s = hosts.connect(name)) {
            progress.stage(name, "read");
            String before = readHostFile(s);
            ConfigDiff diff = ConfigDiff.between(before, toml);
            if (diff.isEmpty()) {
                if (!before.equals(toml) || store.written(s.host().id()).isEmpty()) {
                    // same values, other text (or a file from before the console kept records): take it as ours
                    writeHostFile(s, toml);
                    store.recordWritten(s.host().id(), toml);
                }
                return new PushResult(name, Outcome.UNCHANGED, diff, "", millis(t0));
            }
            progress.stage(name, "check on host");
            String unreadable = hostFileChecks(s, config);
            if (unreadable != null) {
                return new PushResult(name, Outcome.FAILED, diff, unreadable + "; nothing was written", millis(t0));
            }
            progress.stage(name, "write");
            writeHostFile(s, toml);
            String token = node.token();
            String apiUrl = apiUrl(node.apiUrl(), config);
            if (!diff.needsRestart()) {
                progress.stage(name, "reload");
                try {
                    String applied = reload(name, node, diff);
                    store.recordWritten(s.host().id(), toml);
                    return new PushResult(name, Outcome.RELOADED, diff, applied, millis(t0));
                } catch (RestartNeeded e) {
                    // the node found more to change than the file says (an automatic value): restart
                    progress.stage(name, "restart (" + e.getMessage() + ")");
                } catch (RuntimeException e) {
                    progress.stage(name, "roll back");
                    restorePrevious(s);
                    String again = tryReload(name, node);
                    return new PushResult(name, Outcome.FAILED, diff, "the node refused the config: " + e.getMessage()
                            + "; the previous sfu.toml is back" + again, millis(t0));
                }
            }
            progress.stage(name, "restart");
            Installer.StartMode mode = installer.startMode(s);
            try {
                installer.restart(s, mode);
                progress.stage(name, "ready");
                installer.waitReady(s, name, apiUrl, token);
            } catch (RuntimeException e) {
                progress.stage(name, "roll back");
                restorePrevious(s);
                String again;
                try {
                    installer.restart(s, mode);
                    installer.waitReady(s, name, node.apiUrl(), token);
                    again = ", and the node runs and is ready with it again";
                } catch (RuntimeException e2) {
                    again = ", but the node did not get ready with it either: " + e2.getMessage();
                }
                return new PushResult(name, Outcome.FAILED, diff, "the node did not get ready with the new config: "
                        + e.getMessage() + "; the previous sfu.toml is back" + again, millis(t0));
            }
            store.recordWritten(s.host().id(), toml);
            if (!apiUrl.equals(node.apiUrl())) {
                inventory.update(name, apiUrl, token);
            }
            return new PushResult(name, Outcome.RESTARTED, diff, "ready at " + apiUrl, millis(t0));
        }
    }

    /** The node asked to restart for keys the file does not change. */
    private static final class RestartNeeded extends RuntimeException {
        RestartNeeded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reloads through the admin API (audited by NodeActions). The node answers with what it applied;
     * a key the file changes but the node does not list was already in effect (the file had been
     * edited on the host without a reload), which is fine. An invalid file is refused by the node
     * (422) and changes nothing there.
     */
    private String reload(String name, NodeEntry node, ConfigDiff diff) {
        NodeClient client = client(node);
        ReloadResult[] result = new ReloadResult[1];
        actions.act(name, "reload", "config push", () -> {
            ReloadResult r = client.reload();
            result[0] = r;
            return "applied " + r.applied() + (r.needsRestart().isEmpty() ? "" : ", needs restart " + r.needsRestart());
        });
        ReloadResult r = result[0];
        if (!r.needsRestart().isEmpty()) {
            throw new RestartNeeded("the node reports " + r.needsRestart() + " need a restart");
        }
        List<String> already = diff.effectiveKeys().stream().filter(k -> !r.applied().contains(k)).toList();
        return (r.applied().isEmpty() ? "reloaded, nothing to apply" : "reloaded, applied " + String.join(", ", r.applied()))
                + (already.isEmpty() ? "" : "; already in effect: " + String.join(", ", already));
    }

    private String tryReload(String name, NodeEntry node) {
        try {
            actions.act(name, "reload", "config push roll back", () -> String.valueOf(client(node).reload().applied()));
            return " and reloaded";
        } catch (RuntimeException e) {
            return " (its reload failed too: " + e.getMessage() + ")";
        }
    }

    private NodeClient client(NodeEntry node) {
        return new NodeClient(http, NodeClient.parseBaseUrl(node.apiUrl()), node.token(), ApiJson.newMapper());
    }

    /** The inventory's URL with the desired API port (a restart onto another port moves the API). */
    static String apiUrl(String current, NodeConfig config) {
        HttpUrl url = NodeClient.parseBaseUrl(current);
        int port = Math.toIntExact((Long) config.value(ConfigKey.API_PORT));
        if (url.port() == port) {
            return current;
        }
        String s = url.newBuilder().port(port).build().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The TLS files the config names, checked on the host (the console cannot see its disk). */
    private static String hostFileChecks(HostSession s, NodeConfig config) {
        for (ConfigKey key : List.of(ConfigKey.HTTP_TLS_CERT_FILE, ConfigKey.HTTP_TLS_KEY_FILE,
                ConfigKey.API_TLS_CERT_FILE, ConfigKey.API_TLS_KEY_FILE)) {
            String path = (String) config.value(key);
            if (!path.isEmpty()) {
                String p = path.startsWith("/") ? path : s.host().prefix() + "/" + path;
                if (!s.privileged("test -f " + Shell.quote(p) + " && test -r " + Shell.quote(p), T).ok()) {
                    return key.key() + " = " + ConfigRenderer.quote(path) + ": not a readable file on " + s.host().name()
                            + " (checked on the host)";
                }
            }
        }
        return null;
    }

    /** The host's sfu.toml exactly, or "" when it has none. */
    static String readHostFile(HostSession s) {
        String f = Shell.quote(s.host().prefix() + "/etc/sfu.toml");
        return s.privileged("[ ! -e " + f + " ] || cat " + f, T).require();
    }

    /** Temp file then mv: the node never reads half a file; the old one stays as sfu.toml.prev. */
    private static void writeHostFile(HostSession s, String toml) {
        String etc = Shell.quote(s.host().prefix() + "/etc");
        String script = String.join("\n",
                "set -e",
                "mkdir -p " + etc,
                "cd " + etc,
                "cat > .sfu.toml.new <<'SFU_EOF'",
                toml + (toml.endsWith("\n") ? "" : "\n") + "SFU_EOF",
                "if [ -e sfu.toml ]; then cp -p sfu.toml sfu.toml.prev; fi",
                "mv -f .sfu.toml.new sfu.toml", "");
        s.privileged(script, T).require();
    }

    private static void restorePrevious(HostSession s) {
        String etc = Shell.quote(s.host().prefix() + "/etc");
        s.privileged("cd " + etc + " && cp -p sfu.toml.prev .sfu.toml.back && mv -f .sfu.toml.back sfu.toml", T).require();
    }

    /** One host's drift: its file against what the console last wrote there. */
    public enum DriftStatus {
        /** The file is byte for byte what the console wrote. */
        IN_SYNC,
        /** The file changed outside the console: the diff goes from the host's file to what the console wrote. */
        DRIFTED,
        /** The console never wrote this host's file (installed before it kept records, or never installed). */
        NOT_WRITTEN_BY_CONSOLE,
        /** The host could not be checked. */
        UNREACHABLE
    }

    public record DriftReport(String host, DriftStatus status, ConfigDiff diff, String message) {
    }

    /** Checks every given host (all hosts when empty); audited per host. */
    public List<DriftReport> drift(List<String> hostNames) {
        List<String> names = hostNames.isEmpty() ? hosts.list().stream().map(HostEntry::name).toList() : hostNames;
        var reports = new ArrayList<DriftReport>();
        for (String name : names) {
            DriftReport r = driftOne(name);
            audit.record(name, "config.drift", null, (r.status() == DriftStatus.UNREACHABLE ? "error: " : "ok: ")
                    + r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (r.message().isEmpty() ? "" : ", " + r.message()));
            reports.add(r);
        }
        return reports;
    }

    private DriftReport driftOne(String name) {
        try {
            HostEntry h = hosts.require(name);
            Optional<ConfigStore.Written> written = store.written(h.id());
            String actual;
            try (HostSession s = hosts.connect(name)) {
                actual = readHostFile(s);
            }
            if (written.isEmpty()) {
                return new DriftReport(name, DriftStatus.NOT_WRITTEN_BY_CONSOLE, null,
                        "push a config to it to start tracking it");
            }
            if (ConfigStore.sha256(actual).equals(written.get().sha256())) {
                return new DriftReport(name, DriftStatus.IN_SYNC, null, "");
            }
            // as a push would see it: from what is on the host to what the console wrote
            ConfigDiff diff = ConfigDiff.between(actual, written.get().toml());
            return new DriftReport(name, DriftStatus.DRIFTED, diff, actual.isEmpty() ? "the file was deleted"
                    : "sha256 " + ConfigStore.sha256(actual).substring(0, 12) + " is not the "
                    + written.get().sha256().substring(0, 12) + " the console wrote");
        } catch (RuntimeException e) {
            return new DriftReport(name, DriftStatus.UNREACHABLE, null, e.getMessage());
        }
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String maskedAssignments(List<String> assignments) {
        return String.join(" ", assignments.stream().map(a -> {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq).strip();
            boolean secret = ConfigKey.ofKey(name).map(ConfigKey::isSecret).orElse(false);
            return secret ? name + "=" + ConfigRenderer.MASK : a;
        }).toList());
    }
}
