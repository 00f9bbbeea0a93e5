package io.sfufleet.console.provision.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.ExecResult;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Preflight;
import io.sfufleet.console.provision.PreflightSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.Shell;
import io.sfufleet.console.provision.logs.LogTail;
import io.sfufleet.model.api.CallSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Builds the zip a vendor asks for when a node misbehaves: its config, versions, recent log, the
 * preflight checklist, what its API says (node, health, calls with participants, metrics) and facts
 * about the host. Each section that cannot be had is in the zip as its error, so one broken part
 * never costs the rest. Secrets never go in: the env file is listed by names only, and every entry
 * passes the {@link Redactor} with the env file's values, the API token and the SSH secret.
 */
public final class SupportBundle {
    /** How much of the log goes in: a few minutes of a busy node, enough to see a failure's lead-up. */
    public static final int LOG_LINES = 2000;
    private static final Duration T = Duration.ofSeconds(60);
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[([A-Za-z0-9_.-]+)]\\s*$");
    private static final Pattern INT_KEY = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s*=\\s*([0-9]+)\\s*(#.*)?$");

    private final Inventory inventory;
    private final AuditLog audit;
    private final OkHttpClient http;
    private final Clock clock;
    private final ObjectMapper json = ApiJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SupportBundle(Inventory inventory, AuditLog audit, OkHttpClient http, Clock clock) {
        this.inventory = inventory;
        this.audit = audit;
        this.http = http;
        this.clock = clock;
    }

    /** What went into the zip: every entry's name, and the sections that failed with their error. */
    public record Result(Path file, List<String> entries, Map<String, String> failed) {
    }

    /** Writes the bundle of the session's host to {@code out} (replaced whole at the end, never half-written). */
    public Result write(HostSession s, Path out) {
        String name = s.host().name();
        try {
            Result r = build(s, out);
            audit.record(name, "support.bundle", out.toString(), "ok: " + r.entries().size() + " entries"
                    + (r.failed().isEmpty() ? "" : ", failed: " + String.join(", ", r.failed().keySet())));
            return r;
        } catch (RuntimeException e) {
            audit.record(name, "support.bundle", out.toString(), "error: " + e.getMessage());
            throw e;
        }
    }

    private Result build(HostSession s, Path out) {
        String p = s.host().prefix();
        String q = Shell.quote(p);
        Instant now = clock.instant();
        String top = "sfu-support-" + s.host().name() + "-" + now.toString().replace(":", "").replaceAll("\\.\\d+", "")
                + "/";
        Optional<NodeEntry> node = inventory.find(s.host().name());

        // the secrets first, so that nothing is written before the redactor knows them all
        Redactor redactor = new Redactor().secret(s.host().secret());
        node.map(NodeEntry::token).ifPresent(redactor::secret);
        Map<String, String> env = new LinkedHashMap<>();
        String envError = null;
        ExecResult envFile = s.privileged("cat " + q + "/etc/sfu-server.env", T);
        if (envFile.ok()) {
            for (String line : envFile.stdout().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq).strip(), line.substring(eq + 1));
                    redactor.secret(line.substring(eq + 1));
                }
            }
        } else {
            envError = "cannot read " + p + "/etc/sfu-server.env: " + envFile.stderr().strip();
        }

        Sections sections = new Sections(top, redactor);
        sections.add("README.txt", () -> readme(s, now));
        sections.add("node/sfu.toml", () -> s.privileged("cat " + q + "/etc/sfu.toml", T).require());
        String envText = envError != null ? null : env.keySet().stream().map(k -> k + "=" + Redactor.MARK + "\n")
                .reduce("# the values are left out: they are secrets\n", String::concat);
        String envErr = envError;
        sections.add("node/sfu-server.env.txt", () -> {
            if (envErr != null) {
                throw new ProvisionException(envErr);
            }
            return envText;
        });
        sections.add("node/versions.txt", () -> s.privileged(String.join("; ",
                "cd " + q,
                "echo \"current: $(readlink current 2>/dev/null || echo none) ($(cat current/VERSION 2>/dev/null || echo no VERSION))\"",
                "echo \"previous: $(readlink previous 2>/dev/null || echo none) ($(cat previous/VERSION 2>/dev/null || echo no VERSION))\"",
                "echo releases:", "ls -1 releases 2>/dev/null | sed 's/^/  /'"), T).require());
        sections.add("logs/sfu-server.log", () -> {
            StringBuilder b = new StringBuilder();
            try (LogTail.Tail tail = LogTail.open(s, LOG_LINES, false)) {
                b.append("# ").append(tail.source().where()).append(", last ").append(LOG_LINES).append(" lines\n");
                tail.forEach(l -> b.append(l).append('\n'));
            }
            return b.toString();
        });
        sections.add("host/preflight.txt", () -> preflight(s, sections.text("node/sfu.toml")));
        addApi(sections, node);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("host/uname.txt", "uname -a");
        facts.put("host/os-release.txt", "cat /etc/os-release");
        facts.put("host/df.txt", "df -Pk; echo; df -Pk " + q + " 2>/dev/null");
        facts.put("host/free.txt", "free -b");
        facts.put("host/sysctl-net-core-mem.txt", "sysctl -a 2>/dev/null | grep -E '^net\\.core\\.[a-z_]*mem'");
        facts.put("host/listening.txt", "ss -lntup 2>/dev/null || netstat -lntup 2>/dev/null "
                + "|| (echo '# neither ss nor netstat: /proc/net'; cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6)");
        facts.forEach((entry, cmd) -> sections.add(entry, () -> s.privileged(cmd, T).require()));
        return sections.write(out);
    }

    private String readme(HostSession s, Instant now) {
        return String.join("\n",
                "sfu-fleet support bundle",
                "host: " + s.host().name() + " (" + s.host().target() + "), prefix " + s.host().prefix(),
                "made: " + now,
                "",
                "node/      the config (sfu.toml), the env file's variable names, the installed versions",
                "logs/      the last " + LOG_LINES + " lines of the node's log",
                "api/       what the node's admin API answered (or why it did not)",
                "host/      the preflight checklist and facts about the host",
                "*.error.txt  a section that could not be collected, and why",
                "",
                "Secrets (the env file's values, the API token, SSH passwords and passphrases) were removed and",
                "show as " + Redactor.MARK + ".",
                "");
    }

    /** The preflight with the node's own ports; while it runs, they show as in use, which is expected. */
    private String preflight(HostSession s, String toml) {
        int media = tomlInt(toml, "media", "udp_port", 8443);
        int api = tomlInt(toml, "api", "port", 8045);
        List<Check> checks = new Preflight(clock).run(s, PreflightSpec.forHost(s.host(), media, api));
        StringBuilder b = new StringBuilder("# media port " + media + ", API port " + api
                + ": while the node runs, its own ports show as in use\n");
        for (Check c : checks) {
            b.append(String.format("%-4s  %-32s %s%n", c.verdict(), c.name(), c.found()));
            if (!c.todo().isEmpty()) {
                b.append(String.format("      %-32s -> %s%n", "", c.todo()));
            }
        }
        return b.toString();
    }

    static int tomlInt(String toml, String section, String key, int fallback) {
        if (toml == null) {
            return fallback;
        }
        String current = "";
        for (String line : toml.split("\n")) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                continue;
            }
            Matcher kv = INT_KEY.matcher(line);
            if (current.equals(section) && kv.matches() && kv.group(1).equals(key)) {
                return Integer.parseInt(kv.group(2));
            }
        }
        return fallback;
    }

    private void addApi(Sections sections, Optional<NodeEntry> node) {
        if (node.isEmpty()) {
            sections.fail("api/node.json", "the node is not in the console's inventory, so its API address and "
                    + "token are unknown (install it with sfu-console install, or add it with sfu-console nodes add)");
            return;
        }
        NodeEntry n = node.get();
        NodeClient client = new NodeClient(http, NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
        sections.add("api/node.json", () -> json.writeValueAsString(client.nodeInfo()));
        sections.add("api/health.txt", () -> get(n, "/livez") + "\n" + get(n, "/readyz"));
        sections.add("api/calls.json", () -> {
            Map<String, Object> calls = new LinkedHashMap<>();
            for (CallSummary c : client.calls().calls()) {
                // each call's details list its participants; a call that ended meanwhile shows its error
                Object detail;
                try {
                    detail = client.call(c.callId());
                } catch (RuntimeException e) {
                    detail = Map.of("error", String.valueOf(e.getMessage()));
                }
                calls.put(c.callId(), detail);
            }
            return json.writeValueAsString(calls);
        });
        sections.add("api/metrics.txt", () -> get(n, "/metrics"));
    }

    /** A plain GET with the node's token: status line and body. */
    private String get(NodeEntry n, String path) throws IOException {
        Request.Builder b = new Request.Builder().url(NodeClient.parseBaseUrl(n.apiUrl()).newBuilder().encodedPath(path)
                .build());
        if (n.token() != null && !n.token().isEmpty()) {
            b.header("Authorization", "Bearer " + n.token());
        }
        try (Response r = http.newCall(b.build()).execute()) {
            return "GET " + path + " -> " + r.code() + "\n" + r.body().string();
        }
    }

    @FunctionalInterface
    private interface Body {
        String get() throws Exception;
    }

    /** The zip's entries, collected in memory (they are small), each redacted; failures kept as errors. */
    private static final class Sections {
        private final String top;
        private final Redactor redactor;
        private final Map<String, String> entries = new LinkedHashMap<>();
        private final Map<String, String> failed = new LinkedHashMap<>();

        Sections(String top, Redactor redactor) {
            this.top = top;
            this.redactor = redactor;
        }

        void add(String name, Body body) {
            try {
                entries.put(name, body.get());
            } catch (Exception e) {
                fail(name, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        void fail(String name, String error) {
            failed.put(name, error);
            entries.put(name + ".error.txt", "this section could not be collected:\n" + error + "\n");
        }

        String text(String name) {
            return entries.get(name);
        }

        Result write(Path out) {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".partial");
            List<String> names = new ArrayList<>();
            try {
                Path dir = out.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                    for (Map.Entry<String, String> e : entries.entrySet()) {
                        zip.putNextEntry(new ZipEntry(top + e.getKey()));
                        zip.write(redactor.redact(e.getValue()).getBytes(StandardCharsets.UTF_8));
                        zip.closeEntry();
                        names.add(top + e.getKey());
                    }
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the partial file is named as such; the error below says what failed
                }
                throw new IllegalArgumentException("cannot write the support bundle " + out + ": " + e.getMessage(), e);
            }
            Map<String, String> redactedFailures = new LinkedHashMap<>();
            failed.forEach((k, v) -> redactedFailures.put(k, redactor.redact(v)));
            return new Result(out, names, redactedFailures);
        }
    }
}
