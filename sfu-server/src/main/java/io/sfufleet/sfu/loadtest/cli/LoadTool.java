package io.sfufleet.sfu.loadtest.cli;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinTokenSource;
import io.sfufleet.sfu.loadtest.report.ReportWriter;
import io.sfufleet.sfu.loadtest.scenario.LoadResult;
import io.sfufleet.sfu.loadtest.scenario.Scenario;
import io.sfufleet.sfu.loadtest.scenario.ScenarioRunner;
import io.sfufleet.sfu.loadtest.server.ParticipantFactory;
import io.sfufleet.sfu.loadtest.server.ServerProbe;
import io.sfufleet.sfu.loadtest.server.SfuNodeProbe;
import io.sfufleet.sfu.loadtest.server.SfuParticipantFactory;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lt}: load scenarios against an sfu-fleet node (and, with {@code --janus-*}, against Janus
 * in the same run), like rtcd's {@code lt}. {@code run} measures one scenario; {@code capacity}
 * raises the number of calls step by step until loss or delay crosses a threshold.
 */
@Command(name = "lt", mixinStandardHelpOptions = true, version = "lt 1",
        description = "Load scenarios with real WebRTC clients (ICE, DTLS, SRTP) against an sfu-fleet node and Janus.",
        subcommands = {LoadTool.Run.class, LoadTool.Capacity.class})
public final class LoadTool implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line with its converters, for main and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LoadTool());
        cl.registerConverter(Duration.class, LoadTool::duration);
        // Bad input is the user's to fix: one line with the reason, not a stack trace.
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("lt: " + e.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** "30s", "2m", "1h", "500ms" or ISO-8601 ("PT30S"). */
    static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt")) {
                return Duration.parse(v.trim());
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new CommandLine.TypeConversionException("'" + v + "': use 30s, 2m, 1h or 500ms");
            };
        } catch (NumberFormatException | java.time.format.DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new CommandLine.TypeConversionException("'" + v + "' is not a duration: use 30s, 2m, 1h or 500ms");
        }
    }

    /** Where the servers are and how to join them. */
    static final class Target {
        @Option(names = "--url", description = "the node's client URL (default ${DEFAULT-VALUE})",
                defaultValue = "http://127.0.0.1:8080")
        URI url;

        @Option(names = "--api", description = "the node's admin API (default ${DEFAULT-VALUE})",
                defaultValue = "http://127.0.0.1:8045")
        URI api;

        @Option(names = "--api-token", description = "the node's api.token (or SFU_API_TOKEN)",
                defaultValue = "${env:SFU_API_TOKEN}")
        String apiToken;

        @Option(names = "--join-secret", description = "the node's auth.join_token_secret, to mint tokens "
                + "(or SFU_AUTH_JOIN_TOKEN_SECRET); without it the node's /dev/token is used",
                defaultValue = "${env:SFU_AUTH_JOIN_TOKEN_SECRET}")
        String joinSecret;

        @Option(names = "--janus", description = "also run the scenario against Janus (started and stopped by lt, "
                + "in a network namespace of its own; needs root)")
        boolean janus;

        @Option(names = "--janus-cpus", description = "taskset CPU list for Janus, e.g. 0")
        String janusCpus;

        @Option(names = "--janus-port", defaultValue = "18188", description = "Janus's WebSocket port (default ${DEFAULT-VALUE})")
        int janusPort;

        @Option(names = "--skip-sfu", description = "measure Janus only")
        boolean skipSfu;

        @Option(names = "--media-threads", defaultValue = "2", description = "client threads sending media (default ${DEFAULT-VALUE})")
        int mediaThreads;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "local address of the clients' sockets")
        String bind;
    }

    /** The scenario options of rtcd's lt. */
    static final class ScenarioOptions {
        @Option(names = "--calls", defaultValue = "1") int calls;
        @Option(names = "--users-per-call", defaultValue = "2") int usersPerCall;
        @Option(names = "--unmuted", defaultValue = "1", description = "audio senders per call") int unmuted;
        @Option(names = "--video", defaultValue = "0", description = "camera senders per call") int video;
        @Option(names = "--screen-sharing", defaultValue = "0", description = "calls with a screen share") int screenSharing;
        @Option(names = "--duration", defaultValue = "30s", description = "how long the full load holds") Duration duration;
        @Option(names = "--ramp", defaultValue = "10", description = "joins per second") double ramp;
        @Option(names = "--join-timeout", defaultValue = "30s") Duration joinTimeout;

        Scenario scenario() {
            return new Scenario(calls, usersPerCall, unmuted, video, screenSharing, duration, ramp, joinTimeout);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one scenario and write its report.")
    static final class Run implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Mixin ScenarioOptions scenario = new ScenarioOptions();
        @Option(names = "--out", defaultValue = "lt-report", description = "report directory") Path out;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Scenario s = scenario.scenario();
            List<ReportWriter.Labelled> results = runAll(target, s, "lt" + Long.toString(System.currentTimeMillis(), 36));
            Path md = ReportWriter.write(out, results);
            PrintWriter w = spec.commandLine().getOut();
            w.println(ReportWriter.table(results));
            w.println("report: " + md.toAbsolutePath());
            w.flush();
            return results.stream().anyMatch(r -> r.result().joinMillis().isEmpty()) ? 1 : 0;
        }
    }

    @Command(name = "capacity", mixinStandardHelpOptions = true,
            description = "Raise the number of calls step by step until receiver loss or delay p99 crosses its threshold.")
    static final class Capacity implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Mixin ScenarioOptions scenario = new ScenarioOptions();
        @Option(names = "--step-calls", defaultValue = "2", description = "calls added per step") int stepCalls;
        @Option(names = "--max-steps", defaultValue = "10", description = "at most this many steps") int maxSteps;
        @Option(names = "--max-loss-percent", defaultValue = "1.0") double maxLoss;
        @Option(names = "--max-p99-ms", defaultValue = "50") double maxP99Ms;
        @Option(names = "--out", defaultValue = "lt-capacity", description = "report directory") Path out;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (stepCalls < 1 || maxSteps < 1 || maxSteps > 50) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--step-calls must be >= 1 and --max-steps 1 to 50");
            }
            PrintWriter w = spec.commandLine().getOut();
            Scenario base = scenario.scenario();
            List<String> lines = new ArrayList<>();
            List<String> held = new ArrayList<>();
            lines.add("| server | calls | participants | CPU % avg | loss % | delay p99 ms | forwarded/s | held |");
            lines.add("|---|---:|---:|---:|---:|---:|---:|---|");
            Targets all = targets(target, base.usersPerCall());
            try {
                for (Targets.One one : all.list()) {
                    int largest = 0;
                    for (int step = 0; step < maxSteps; step++) {
                        int calls = base.calls() + step * stepCalls;
                        Scenario s;
                        try {
                            s = base.withCalls(calls);
                        } catch (IllegalArgumentException e) {
                            w.println("stopping: " + e.getMessage());
                            break;
                        }
                        LoadResult r = new ScenarioRunner(one.factory(), one.probe(),
                                "cap" + Long.toString(System.currentTimeMillis(), 36)).run(s);
                        double p99 = r.delayMicros()[2] / 1000.0;
                        boolean ok = r.joinFailures() == 0 && r.clientTotals().lossPercent() <= maxLoss && p99 <= maxP99Ms;
                        lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.3f | %.2f | %.0f | %s |", one.label(),
                                calls, s.participants(), r.averageCpuPercent(), r.clientTotals().lossPercent(), p99,
                                r.forwardedPacketsPerSecond(), ok ? "yes" : "no"));
                        w.println(lines.getLast());
                        w.flush();
                        if (!ok) {
                            break;
                        }
                        largest = calls;
                    }
                    held.add("- Largest load held by " + one.label() + ": " + (largest == 0 ? "none of the steps"
                            : largest + " calls of " + base.usersPerCall() + " users") + " (loss <= " + maxLoss
                            + " %, delay p99 <= " + maxP99Ms + " ms, no failed join).");
                }
            } finally {
                all.close();
            }
            java.nio.file.Files.createDirectories(out);
            Path md = out.resolve("capacity.md");
            java.nio.file.Files.writeString(md, "# Capacity: " + base.describe() + " plus " + stepCalls
                    + " calls per step\n\n" + String.join("\n", lines) + "\n\n" + String.join("\n", held) + "\n");
            w.println("report: " + md.toAbsolutePath());
            w.flush();
            return 0;
        }
    }

    /** Every server to measure, with what it needs; closing frees the clients' runtime. */
    record Targets(ClientRuntime runtime, java.net.http.HttpClient http, List<One> list) implements AutoCloseable {
        /** A server to measure; {@code resources} are closed with the targets (e.g. a Janus lt started). */
        record One(String label, ParticipantFactory factory, ServerProbe probe, AutoCloseable resources) {
        }

        @Override
        public void close() {
            for (One one : list) {
                if (one.resources() != null) {
                    try {
                        one.resources().close();
                    } catch (Exception e) {
                        System.getLogger(LoadTool.class.getName()).log(System.Logger.Level.WARNING,
                                "could not stop " + one.label() + ": " + e);
                    }
                }
            }
            runtime.close();
            http.close();
        }
    }

    static Targets targets(Target t) throws Exception {
        return targets(t, Scenario.MAX_USERS_PER_CALL);
    }

    static Targets targets(Target t, int usersPerCall) throws Exception {
        ClientRuntime runtime = new ClientRuntime(t.mediaThreads, InetAddress.getByName(t.bind));
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        List<Targets.One> list = new ArrayList<>();
        if (!t.skipSfu) {
            JoinTokenSource tokens = t.joinSecret == null || t.joinSecret.isBlank()
                    ? JoinTokenSource.devEndpoint(http, t.url) : JoinTokenSource.secret(t.joinSecret);
            list.add(new Targets.One("sfu", new SfuParticipantFactory(runtime, t.url, tokens),
                    new SfuNodeProbe(http, t.api, t.apiToken), null));
        }
        if (t.janus) {
            try {
                list.add(JanusTargets.start(t.janusPort, t.janusCpus, t.mediaThreads, usersPerCall));
            } catch (Exception e) {
                runtime.close();
                throw e;
            }
        }
        if (list.isEmpty()) {
            runtime.close();
            throw new IllegalArgumentException("nothing to measure: --skip-sfu without --janus");
        }
        return new Targets(runtime, http, list);
    }

    static List<ReportWriter.Labelled> runAll(Target t, Scenario s, String runId) throws Exception {
        List<ReportWriter.Labelled> results = new ArrayList<>();
        try (Targets all = targets(t, s.usersPerCall())) {
            for (Targets.One one : all.list()) {
                LoadResult r = new ScenarioRunner(one.factory(), one.probe(), runId + "-" + one.label()).run(s);
                results.add(new ReportWriter.Labelled(one.label(), r));
            }
        }
        return results;
    }
}
