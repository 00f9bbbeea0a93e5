package io.sfufleet.console.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sfufleet.console.actions.Durations;
import io.sfufleet.console.actions.InventoryActions;
import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.alerts.Alert;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.alerts.AlertRulesStore;
import io.sfufleet.console.alerts.AlertStore;
import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.release.BundleVerifier;
import io.sfufleet.console.release.SiteKeys;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.node.NodeClientException;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.store.ConsolePaths;
import io.sfufleet.console.store.StoreException;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.ParticipantDetail;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sfu-console}: the fleet inventory, node state and call actions from a shell. Exit codes:
 * 0 done, 1 the node answered an error or could not be reached, 2 usage (bad arguments, unknown
 * node, no or wrong passphrase). Every action (inventory changes, drain, undrain, mute, kick, end
 * call, reload) writes an audit entry with its result.
 */
@Command(name = "sfu-console", mixinStandardHelpOptions = true, version = "sfu-console 0.1.0",
        description = "Manage sfu-fleet nodes: inventory, state, calls, participants, actions.",
        subcommands = {ConsoleCli.Nodes.class, ConsoleCli.Node.class, HostCommands.class, PreflightCommand.class,
                InstallCommand.class, ConfigCommands.class, OpsCommands.Logs.class, OpsCommands.Support.class, OpsCommands.Uninstall.class,
                ConsoleCli.SiteKey.class, ConsoleCli.Bundle.class,
                PkiCommands.Ca.class, PkiCommands.Certs.class,
                RolloutCommand.class,
                CommandLine.HelpCommand.class})
public final class ConsoleCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_API = 1;
    public static final int EXIT_USAGE = 2;
    public static final String PASSPHRASE_ENV = "SFU_CONSOLE_PASSPHRASE";

    final Map<String, String> env;
    private final String user;
    final Clock clock;
    final OkHttpClient http;
    private final ObjectMapper json;
    PrintWriter out;

    @Option(names = "--db", paramLabel = "FILE",
            description = "The console database (default: $SFU_CONSOLE_DB, else $XDG_DATA_HOME/sfu-fleet/console.db, "
                    + "else ~/.local/share/sfu-fleet/console.db).")
    Path db;

    @Option(names = "--passphrase-env", paramLabel = "VAR", defaultValue = PASSPHRASE_ENV,
            description = "Environment variable holding the console passphrase that encrypts node tokens "
                    + "(default: ${DEFAULT-VALUE}).")
    String passphraseEnv;

    /**
     * @param env  the environment (passphrase, token variables, database location)
     * @param user the OS user, for the audit trail
     * @param http shared HTTP client with the console's timeouts ({@link NodeClient#newHttpClient()})
     */
    public ConsoleCli(Map<String, String> env, String user, Clock clock, OkHttpClient http) {
        this.env = Map.copyOf(env);
        this.user = user;
        this.clock = clock;
        this.http = http;
        this.json = ApiJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public static void main(String[] args) {
        OkHttpClient http = NodeClient.newHttpClient();
        int code;
        try {
            code = new ConsoleCli(System.getenv(), System.getProperty("user.name"), Clock.systemUTC(), http)
                    .run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                            new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        System.exit(code);
    }

    /** Runs one command line; returns its exit code. */
    public int run(PrintWriter stdout, PrintWriter stderr, String... args) {
        this.out = stdout;
        CommandLine cl = new CommandLine(this);
        cl.setOut(stdout);
        cl.setErr(stderr);
        cl.setExitCodeExceptionMapper(e -> e instanceof NodeClientException ? EXIT_API : EXIT_USAGE);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sfu-console: " + e.getMessage());
            commandLine.getErr().flush();
            if (e instanceof NodeClientException) {
                return EXIT_API;
            }
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof StoreException) {
                return EXIT_USAGE;
            }
            return EXIT_API;
        });
        int code = cl.execute(args);
        stdout.flush();
        stderr.flush();
        return code;
    }

    // ------------------------------------------------------------ services per command

    private Path databaseFile() {
        return db != null ? db : ConsolePaths.defaultDatabase(env, System.getProperty("user.home"));
    }

    private ConsoleDatabase openDatabase() {
        return ConsoleDatabase.open(databaseFile());
    }

    private char[] passphrase() {
        String p = env.get(passphraseEnv);
        return p == null || p.isEmpty() ? null : p.toCharArray();
    }

    /** Runs {@code body} with the database, the inventory (with tokens when a passphrase is set) and the audit log. */
    <T> T withStore(Function<Store, T> body) {
        try (ConsoleDatabase database = openDatabase()) {
            Inventory inventory = Inventory.open(database, passphrase(), clock);
            return body.apply(new Store(inventory, new AuditLog(database, clock, user), database));
        }
    }

    record Store(Inventory inventory, AuditLog audit, ConsoleDatabase database) {
    }

    private NodeClient client(Store s, NodeEntry node) {
        return new NodeClient(trustingHttp(s), NodeClient.parseBaseUrl(node.apiUrl()), node.token(),
                ApiJson.newMapper());
    }

    /** The shared client, trusting the site CA (when this console has one) besides the system's CAs. */
    OkHttpClient trustingHttp(Store s) {
        return io.sfufleet.console.node.SiteTrust.trusting(http,
                new io.sfufleet.console.pki.CertStore(s.database()).roots());
    }

    private <T> T read(String nodeName, Function<NodeClient, T> call) {
        return withStore(s -> call.apply(client(s, s.inventory().require(nodeName))));
    }

    /** An action on a node through the shared {@link NodeActions}: done, audited either way, and reported. */
    private int act(String nodeName, String action, String target, ActionCall call) {
        return withStore(s -> {
            NodeActions actions = new NodeActions(s.audit(), clock);
            NodeClient c;
            try {
                c = client(s, s.inventory().require(nodeName));
            } catch (RuntimeException e) {
                s.audit().record(nodeName, action, target, "error: " + e.getMessage());
                throw e;
            }
            String message = call.run(actions, c);
            out.println(action + " " + nodeName + (target == null ? "" : " " + target) + ": ok"
                    + (message == null ? "" : " (" + message + ")"));
            return EXIT_OK;
        });
    }

    @FunctionalInterface
    private interface ActionCall {
        String run(NodeActions actions, NodeClient client);
    }

    void printJson(Object value) {
        try {
            out.println(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    private String ago(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, clock.millis() - millis));
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m"
                : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }

    private static String kbps(long bps) {
        return (bps / 1000) + " kb/s";
    }

    // ------------------------------------------------------------ reads

    @Command(name = "calls", description = "The calls on a node.")
    int calls(@Parameters(paramLabel = "NAME", description = "node name") String name,
              @Option(names = "--json", description = "print the CallList JSON") boolean asJson) {
        CallList list = read(name, NodeClient::calls);
        if (asJson) {
            printJson(list);
        } else {
            Table t = new Table("CALL", "PARTICIPANTS", "TRACKS", "IN", "OUT", "AGE");
            for (CallSummary c : list.calls()) {
                t.row(c.callId(), c.participants(), c.tracks(), kbps(c.bitrateInBps()), kbps(c.bitrateOutBps()),
                        ago(c.createdAtMillis()));
            }
            t.print(out);
        }
        return EXIT_OK;
    }

    @Command(name = "participants", description = "The participants of a call.")
    int participants(@Parameters(index = "0", paramLabel = "NAME", description = "node name") String name,
                     @Parameters(index = "1", paramLabel = "CALL", description = "call id") String call,
                     @Option(names = "--json", description = "print the CallDetail JSON") boolean asJson) {
        CallDetail detail = read(name, c -> c.call(call));
        if (asJson) {
            printJson(detail);
        } else {
            Table t = new Table("PARTICIPANT", "NAME", "ADDRESS", "VIA", "PUBLISH", "SUBSCRIBE", "SENDS", "RECEIVES",
                    "JOINED");
            for (ParticipantDetail p : detail.participants()) {
                t.row(p.participantId(), p.name(),
                        p.remoteAddress() == null ? null : p.remoteAddress() + ":" + p.remotePort(),
                        p.candidateType(), p.publishState(), p.subscribeState(), p.published().size(),
                        p.received().size(), ago(p.joinedAtMillis()));
            }
            t.print(out);
        }
        return EXIT_OK;
    }

    @Command(name = "participant", description = "One participant with its track statistics.")
    int participant(@Parameters(index = "0", paramLabel = "NAME", description = "node name") String name,
                    @Parameters(index = "1", paramLabel = "CALL", description = "call id") String call,
                    @Parameters(index = "2", paramLabel = "PARTICIPANT", description = "participant id") String id,
                    @Option(names = "--json", description = "print the ParticipantDetail JSON") boolean asJson) {
        ParticipantDetail p = read(name, c -> c.participant(call, id));
        if (asJson) {
            printJson(p);
            return EXIT_OK;
        }
        out.println(p.participantId() + " " + p.name() + "  publish " + p.publishState() + ", subscribe "
                + p.subscribeState() + ", via " + p.candidateType()
                + (p.srtpProfile() == null ? "" : ", " + p.srtpProfile()));
        Table t = new Table("TRACK", "KIND", "DIRECTION", "CODEC/FROM", "BITRATE", "LOSS %", "JITTER ms", "MUTED");
        p.published().forEach(tr -> t.row(tr.trackId(), tr.kind(), "sends", tr.codec(), kbps(tr.bitrateBps()),
                tr.lossPercent(), tr.jitterMillis(), tr.muted() ? "self" : tr.adminMuted() ? "admin" : "no"));
        p.received().forEach(tr -> t.row(tr.trackId(), tr.kind(), "receives", tr.fromParticipantId(),
                kbps(tr.bitrateBps()), tr.lossPercent(), tr.jitterMillis(), "-"));
        t.print(out);
        return EXIT_OK;
    }

    // ------------------------------------------------------------ actions

    @Command(name = "drain", description = "Take no new joins; end the calls left at the deadline.")
    int drain(@Parameters(paramLabel = "NAME", description = "node name") String name,
              @Option(names = "--deadline", required = true, paramLabel = "DURATION",
                      description = "how long calls may go on, e.g. 10m, 90s, 1h") String deadline,
              @Option(names = "--reason", description = "for the node's log") String reason) {
        Duration d = Durations.parse(deadline);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--deadline must be positive, not " + deadline);
        }
        return act(name, "drain", "deadline " + deadline, (a, c) -> a.drain(name, c, d, deadline, reason));
    }

    @Command(name = "undrain", description = "Take joins again.")
    int undrain(@Parameters(paramLabel = "NAME", description = "node name") String name) {
        return act(name, "undrain", null, (a, c) -> a.undrain(name, c));
    }

    @Command(name = "mute", description = "Mute a participant's tracks (it unmutes itself).")
    int mute(@Parameters(index = "0", paramLabel = "NAME", description = "node name") String name,
             @Parameters(index = "1", paramLabel = "CALL", description = "call id") String call,
             @Parameters(index = "2", paramLabel = "PARTICIPANT", description = "participant id") String participant,
             @Option(names = "--kind", defaultValue = "all", description = "audio, video or all (default)")
             MuteKind kind) {
        if (kind == MuteKind.unknown) {
            throw new IllegalArgumentException("--kind must be audio, video or all");
        }
        return act(name, "mute", call + "/" + participant + " " + kind, (a, c) -> a.mute(name, c, call, participant, kind));
    }

    @Command(name = "kick", description = "Remove a participant from its call.")
    int kick(@Parameters(index = "0", paramLabel = "NAME", description = "node name") String name,
             @Parameters(index = "1", paramLabel = "CALL", description = "call id") String call,
             @Parameters(index = "2", paramLabel = "PARTICIPANT", description = "participant id") String participant,
             @Option(names = "--reason", description = "for the node's log") String reason) {
        return act(name, "kick", call + "/" + participant, (a, c) -> a.kick(name, c, call, participant, reason));
    }

    @Command(name = "end-call", description = "End a call: every participant is disconnected.")
    int endCall(@Parameters(index = "0", paramLabel = "NAME", description = "node name") String name,
                @Parameters(index = "1", paramLabel = "CALL", description = "call id") String call,
                @Option(names = "--reason", description = "for the node's log") String reason) {
        return act(name, "end-call", call, (a, c) -> a.endCall(name, c, call, reason));
    }

    @Command(name = "reload", description = "Make the node reread its configuration file.")
    int reload(@Parameters(paramLabel = "NAME", description = "node name") String name) {
        return act(name, "reload", null, (a, c) -> a.reload(name, c));
    }

    // ------------------------------------------------------------ audit

    @Command(name = "audit", description = "The latest actions of this console.")
    int audit(@Option(names = "--limit", defaultValue = "50", description = "how many (default ${DEFAULT-VALUE})")
              int limit,
              @Option(names = "--json", description = "print the entries as JSON") boolean asJson) {
        try (ConsoleDatabase database = openDatabase()) {
            List<AuditEntry> entries = new AuditLog(database, clock, user).latest(limit);
            if (asJson) {
                printJson(entries);
            } else {
                Table t = new Table("WHEN", "WHO", "NODE", "ACTION", "TARGET", "RESULT");
                entries.forEach(e -> t.row(Instant.ofEpochMilli(e.atMillis()), e.who(), e.node(), e.action(),
                        e.target(), e.result()));
                t.print(out);
            }
        }
        return EXIT_OK;
    }

    // ------------------------------------------------------------ live

    @Command(name = "watch", description = "The fleet live, as the console's fleet table: one table a second, "
            + "with alerts as they are raised and cleared (Ctrl-C stops).")
    int watch(@Option(names = "--count", paramLabel = "N", description = "stop after N tables (default: never)")
              Integer count,
              @Option(names = "--json", description = "one JSON array of node statuses per line") boolean asJson)
            throws InterruptedException {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        try (ConsoleDatabase database = openDatabase()) {
            char[] pass = passphrase();
            if (pass == null) {
                throw new IllegalStateException("a console passphrase is needed to watch the fleet"
                        + " (set SFU_CONSOLE_PASSPHRASE or use --passphrase-env)");
            }
            Inventory inventory = Inventory.open(database, pass, clock);
            // the core closes the database it is given; this one is closed by the try as well, which is harmless
            ConsoleCore core = new ConsoleCore(database, inventory, user, clock, MonitorSettings.DEFAULTS,
                    AlertRulesStore.load(database));
            try {
                core.alerts().addListener(c -> out.println((c.raised() ? "ALERT  " : "CLEAR  ")
                        + Instant.ofEpochMilli(c.alert().raisedAtMillis()) + "  " + c.alert().message()));
                core.start();
                boolean tty = System.console() != null && !asJson;
                for (int i = 0; count == null || i < count; i++) {
                    Thread.sleep(1000);
                    List<NodeStatus> fleet = core.fleet().statuses();
                    if (asJson) {
                        out.println(json.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(fleet));
                    } else {
                        if (tty) {
                            out.print("\033[H\033[2J");
                        }
                        printFleet(fleet, core.alerts().active().size());
                    }
                    out.flush();
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            } finally {
                core.close();
            }
        }
        return EXIT_OK;
    }

    private static String uptime(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return d.toDays() > 0 ? d.toDays() + "d" + d.toHoursPart() + "h"
                : d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m"
                : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }

    private void printFleet(List<NodeStatus> fleet, int alerts) {
        Table t = new Table("NODE", "STATE", "VERSION", "UPTIME", "CPU%", "IN_MBPS", "OUT_MBPS", "PKTS/S", "CALLS",
                "PARTICIPANTS");
        int calls = 0;
        int participants = 0;
        for (NodeStatus s : fleet) {
            NodeInfo i = s.info();
            String state = s.health() + (s.problem() == null || s.health() == NodeHealth.UP ? "" : " (" + s.problem() + ")");
            if (i == null) {
                t.row(s.name(), state, null, null, null, null, null, null, null, null);
                continue;
            }
            if (s.reachable()) {
                calls += i.calls();
                participants += i.participants();
            }
            t.row(s.name(), state, i.version(), uptime(i.uptimeSeconds()),
                    String.format(java.util.Locale.ROOT, "%.1f", i.cpuPercent()),
                    String.format(java.util.Locale.ROOT, "%.2f", i.bytesInPerSecond() * 8 / 1e6),
                    String.format(java.util.Locale.ROOT, "%.2f", i.bytesOutPerSecond() * 8 / 1e6),
                    i.packetsInPerSecond() + i.packetsOutPerSecond(), i.calls(), i.participants());
        }
        t.print(out);
        out.println(fleet.size() + " nodes, " + calls + " calls, " + participants + " participants, " + alerts
                + " active alerts  (" + Instant.now(clock) + ")");
    }

    @Command(name = "alerts", description = "Alerts the console raised: active ones, or the latest with --all.")
    int alerts(@Option(names = "--all", description = "cleared ones too") boolean all,
               @Option(names = "--limit", defaultValue = "50", description = "how many (default ${DEFAULT-VALUE})")
               int limit,
               @Option(names = "--json", description = "print JSON") boolean asJson) {
        try (ConsoleDatabase database = openDatabase()) {
            AlertStore store = new AlertStore(database);
            List<Alert> list = all ? store.latest(limit) : store.active();
            if (asJson) {
                printJson(list);
            } else {
                Table t = new Table("RAISED", "CLEARED", "SEVERITY", "NODE", "KIND", "MESSAGE");
                list.forEach(a -> t.row(Instant.ofEpochMilli(a.raisedAtMillis()),
                        a.clearedAtMillis() == null ? "active" : Instant.ofEpochMilli(a.clearedAtMillis()),
                        a.severity(), a.node(), a.kind(), a.message()));
                t.print(out);
            }
        }
        return EXIT_OK;
    }

    @Command(name = "alert-rules", description = "The alert thresholds of this console database: shown, or changed "
            + "with the options (the window and watch read them when they start).")
    int alertRules(@Option(names = "--cpu", paramLabel = "PERCENT", description = "a node's CPU, of all its cores (0 to 100]")
                   Double cpu,
                   @Option(names = "--loss", paramLabel = "PERCENT", description = "a participant's loss on any track (0 to 100]")
                   Double loss,
                   @Option(names = "--jitter", paramLabel = "MS", description = "a participant's jitter on any track") Double jitter,
                   @Option(names = "--drain-grace", paramLabel = "DURATION",
                           description = "how long past its deadline a draining node may keep participants") String grace,
                   @Option(names = "--json", description = "print JSON") boolean asJson) {
        try (ConsoleDatabase database = openDatabase()) {
            AlertRules now = AlertRulesStore.load(database);
            if (cpu != null || loss != null || jitter != null || grace != null) {
                AlertRules next;
                try {
                    next = new AlertRules(cpu != null ? cpu : now.cpuPercent(), loss != null ? loss : now.lossPercent(),
                            jitter != null ? jitter : now.jitterMillis(),
                            grace != null ? Durations.parse(grace) : now.drainGrace());
                } catch (IllegalArgumentException e) {
                    new AuditLog(database, clock, user).record(null, "alert-rules.set", null, "error: " + e.getMessage());
                    throw e;
                }
                AlertRulesStore.save(database, next);
                new AuditLog(database, clock, user).record(null, "alert-rules.set", describe(next), "ok");
                now = next;
            }
            if (asJson) {
                printJson(java.util.Map.of("cpuPercent", now.cpuPercent(), "lossPercent", now.lossPercent(),
                        "jitterMillis", now.jitterMillis(), "drainGraceSeconds", now.drainGrace().toSeconds()));
            } else {
                out.println(describe(now));
            }
        }
        return EXIT_OK;
    }

    private static String describe(AlertRules r) {
        return String.format(java.util.Locale.ROOT, "cpu %.1f %%, loss %.1f %%, jitter %.1f ms, drain grace %d s",
                r.cpuPercent(), r.lossPercent(), r.jitterMillis(), r.drainGrace().toSeconds());
    }

    // ------------------------------------------------------------ releases

    @Command(name = "site-key", description = "The site's release signing key (Ed25519).",
            subcommands = CommandLine.HelpCommand.class)
    static final class SiteKey {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "generate", description = "Make the site's key pair; bundles are signed with the private key "
                + "(-Dsfu.release.key=FILE when building) and checked with the public one.")
        int generate(@Option(names = "--dir", paramLabel = "DIR",
                description = "where to write site-release.key (0600) and site-release.pub "
                        + "(default: the console database's folder)") Path dir) throws java.io.IOException {
            Path target = dir != null ? dir : root.databaseFile().toAbsolutePath().getParent();
            SiteKeys.Generated g;
            try {
                g = SiteKeys.generate(target, new java.security.SecureRandom());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new IllegalStateException(e.getFile() + ": " + e.getReason());
            }
            AuditLog audit = null;
            try (ConsoleDatabase database = root.openDatabase()) {
                audit = new AuditLog(database, root.clock, root.user);
                audit.record(null, "site-key.generate", g.publicKey().toString(), "ok: " + g.fingerprint());
            }
            root.out.println("private key: " + g.privateKey() + " (keep it offline; it signs bundles)");
            root.out.println("public key:  " + g.publicKey() + " (give it to install.sh --key and the console)");
            root.out.println("fingerprint: " + g.fingerprint());
            return EXIT_OK;
        }
    }

    @Command(name = "bundle", description = "Offline bundles.", subcommands = CommandLine.HelpCommand.class)
    static final class Bundle {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "verify", description = "Check a bundle's signature and every file's sum against the site key, "
                + "as install.sh does, before it is copied anywhere.")
        int verify(@Parameters(paramLabel = "BUNDLE", description = "sfu-server-<version>-linux-x64.tar.gz") Path bundle,
                   @Option(names = "--site-key", required = true, paramLabel = "FILE",
                           description = "the site's public key (site-release.pub)") Path siteKey)
                throws java.io.IOException {
            try {
                BundleVerifier.Verified v = BundleVerifier.verify(bundle, siteKey);
                root.out.println("ok: " + bundle.getFileName() + " is version " + v.version() + ", " + v.files()
                        + " files, signed with the site key and unchanged");
                return EXIT_OK;
            } catch (io.sfufleet.release.BundleRejectedException e) {
                root.out.println("REFUSED: " + bundle.getFileName());
                e.reasons().forEach(r -> root.out.println("  " + r));
                return EXIT_API;
            }
        }
    }

    // ------------------------------------------------------------ groups

    /** {@code nodes add|list|remove}: the inventory. */
    @Command(name = "nodes", description = "The fleet inventory.", subcommands = CommandLine.HelpCommand.class)
    static final class Nodes {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "add", description = "Add a node: its admin API URL and the variable that holds its token.")
        int add(@Parameters(index = "0", paramLabel = "NAME", description = "a name for the node") String name,
                @Parameters(index = "1", paramLabel = "URL", description = "admin API base URL, e.g. http://10.0.0.5:8045")
                String url,
                @Option(names = "--token-env", paramLabel = "VAR",
                        description = "environment variable holding the node's api.token") String tokenEnv) {
            NodeClient.parseBaseUrl(url);
            String token = null;
            if (tokenEnv != null) {
                token = root.env.get(tokenEnv);
                if (token == null || token.isEmpty()) {
                    throw new IllegalArgumentException("--token-env " + tokenEnv + ": that variable is not set");
                }
            }
            String t = token;
            return root.withStore(s -> {
                new InventoryActions(s.inventory(), s.audit()).add(name, url, t);
                root.out.println("added " + name + " (" + url + ")" + (t == null ? ", no token" : ", token encrypted"));
                return EXIT_OK;
            });
        }

        @Command(name = "list", description = "The nodes of the inventory.")
        int list(@Option(names = "--json", description = "print as JSON") boolean asJson) {
            return root.withStore(s -> {
                List<NodeEntry> nodes = s.inventory().list();
                if (asJson) {
                    root.printJson(nodes.stream().map(n -> new NodeView(n.name(), n.apiUrl(), n.addedAtMillis()))
                            .toList());
                } else {
                    Table t = new Table("NAME", "API URL", "ADDED");
                    nodes.forEach(n -> t.row(n.name(), n.apiUrl(), Instant.ofEpochMilli(n.addedAtMillis())));
                    t.print(root.out);
                }
                return EXIT_OK;
            });
        }

        @Command(name = "remove", description = "Remove a node from the inventory (the node itself is not touched).")
        int remove(@Parameters(paramLabel = "NAME", description = "node name") String name) {
            return root.withStore(s -> {
                new InventoryActions(s.inventory(), s.audit()).remove(name);
                root.out.println("removed " + name);
                return EXIT_OK;
            });
        }
    }

    /** What {@code nodes list --json} prints: never the token. */
    public record NodeView(String name, String apiUrl, long addedAtMillis) {
    }

    /** {@code node info}: one node's state and load. */
    @Command(name = "node", description = "One node.", subcommands = CommandLine.HelpCommand.class)
    static final class Node {
        @ParentCommand
        ConsoleCli root;

        @Command(name = "info", description = "The node's state and load.")
        int info(@Parameters(paramLabel = "NAME", description = "node name") String name,
                 @Option(names = "--json", description = "print the NodeInfo JSON") boolean asJson) {
            NodeInfo n = root.read(name, NodeClient::nodeInfo);
            if (asJson) {
                root.printJson(n);
                return EXIT_OK;
            }
            PrintWriter o = root.out;
            o.println("node       " + n.nodeName() + " (version " + n.version() + ", API v" + n.apiVersion() + ")");
            o.println("state      " + n.state() + (n.drainDeadlineMillis() == null ? ""
                    : ", drain deadline " + Instant.ofEpochMilli(n.drainDeadlineMillis())) + (n.ready() ? ", ready" : ", not ready"));
            o.println("uptime     " + Duration.ofSeconds(n.uptimeSeconds()));
            o.println("cpu        " + n.cpuPercent() + " % of one core (" + n.availableProcessors() + " CPUs), host "
                    + n.systemCpuPercent() + " %");
            o.println("memory     " + (n.rssBytes() == null ? "-" : n.rssBytes() / (1024 * 1024) + " MiB"));
            o.println("load       " + n.calls() + " calls, " + n.participants() + " participants, " + n.tracks()
                    + " tracks (max " + n.capacity().maxCalls() + " calls, " + n.capacity().maxParticipantsPerCall()
                    + " per call)");
            o.println("media      " + n.advertisedAddress() + ":" + n.mediaPort() + ", in " + kbps(n.bytesInPerSecond() * 8)
                    + ", out " + kbps(n.bytesOutPerSecond() * 8));
            return EXIT_OK;
        }
    }
}
