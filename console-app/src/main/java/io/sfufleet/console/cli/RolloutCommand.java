package io.sfufleet.console.cli;

import io.sfufleet.console.actions.Durations;
import io.sfufleet.console.provision.rollout.Rollout;
import io.sfufleet.console.provision.rollout.RolloutListener;
import io.sfufleet.console.provision.rollout.RolloutPlan;
import io.sfufleet.console.provision.rollout.RolloutRefusedException;
import io.sfufleet.console.provision.rollout.RolloutResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rollout BUNDLE (--all | HOST...)}: the rolling upgrade, one node at a time, with its plan first. */
@Command(name = "rollout", description = "Upgrade installed nodes to a new signed bundle one at a time: stage, drain, "
        + "wait for calls, switch, restart, check; a failed node is rolled back and the rollout stops.")
final class RolloutCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleCli root;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "sfu-server-VERSION-linux-x64.tar.gz")
    Path bundle;

    @Option(names = "--site-key", required = true, paramLabel = "FILE",
            description = "the site's release-signing public key (PEM) the bundle must be signed with")
    Path siteKey;

    @Option(names = "--all", description = "every host with an installed node, in name order")
    boolean all;

    @Parameters(index = "1..*", paramLabel = "HOST", description = "hosts to upgrade, in this order (or --all)")
    List<String> hosts = List.of();

    @Option(names = "--drain-deadline", required = true, paramLabel = "DURATION",
            description = "how long a node's calls may go on after it is drained (e.g. 10m, 90s)")
    String drainDeadline;

    @Option(names = "--ready-timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "how long to wait for /readyz after a restart (default ${DEFAULT-VALUE})")
    int readySeconds;

    @Option(names = "--yes", description = "do not ask before starting")
    boolean yes;

    @Override
    public Integer call() {
        if (all == !hosts.isEmpty()) {
            throw new IllegalArgumentException(all ? "give --all or HOST names, not both"
                    : "name the hosts to upgrade, or give --all for every host with an installed node");
        }
        Duration deadline = Durations.parse(drainDeadline);
        if (deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("--drain-deadline must be positive, not " + drainDeadline);
        }
        return root.withStore(s -> {
            Rollout rollout = new Rollout(HostCommands.service(s, root.clock), s.inventory(), s.audit(), root.http,
                    Duration.ofSeconds(readySeconds), root.clock);
            List<String> names = all ? rollout.installedHosts() : hosts;
            RolloutPlan plan;
            try {
                plan = rollout.plan(bundle.toAbsolutePath(), siteKey.toAbsolutePath(), names);
            } catch (RolloutRefusedException e) {
                root.out.flush();
                throw new IllegalArgumentException("the rollout was not started, nothing was touched:\n  "
                        + String.join("\n  ", e.problems()));
            }
            root.out.println("rollout to " + plan.target() + " (" + bundle.getFileName() + "), drain deadline "
                    + drainDeadline + ", one node at a time:");
            int i = 1;
            for (RolloutPlan.Step step : plan.steps()) {
                root.out.println("  " + i++ + ". " + step.host() + " (node " + step.node() + "): " + step.current()
                        + (step.skip() ? ", already on " + step.target() + ": skipped" : " -> " + step.target()));
            }
            if (plan.toUpgrade().isEmpty()) {
                root.out.println("every node already runs " + plan.target() + ": nothing to do");
                return ConsoleCli.EXIT_OK;
            }
            if (!yes && !confirmed()) {
                root.out.println("not started: nothing was touched");
                return ConsoleCli.EXIT_USAGE;
            }
            RolloutResult result = rollout.run(plan, deadline, new Printer(root));
            if (result.ok()) {
                root.out.println("rollout to " + plan.target() + " done: " + plan.toUpgrade().size() + " upgraded, "
                        + (plan.steps().size() - plan.toUpgrade().size()) + " already on it");
                return ConsoleCli.EXIT_OK;
            }
            for (RolloutResult.NodeResult n : result.nodes()) {
                if (n.message() != null) {
                    root.out.flush();
                    throw new RolloutFailed(n.message());
                }
            }
            return ConsoleCli.EXIT_API;
        });
    }

    /** Exit 1 with the node's message on stderr. */
    static final class RolloutFailed extends RuntimeException {
        RolloutFailed(String message) {
            super(message);
        }
    }

    private boolean confirmed() {
        root.out.print("start the rollout? [y/N] ");
        root.out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }

    /** One line per step; upload in tenths; the calls left while draining when they change. */
    private static final class Printer implements RolloutListener {
        private final ConsoleCli root;
        private long lastTenth = -1;

        Printer(ConsoleCli root) {
            this.root = root;
        }

        private void say(RolloutPlan.Step step, String text) {
            root.out.println(step.host() + ": " + text);
            root.out.flush();
        }

        @Override
        public void stage(RolloutPlan.Step step, String what) {
            lastTenth = what.equals("upload") ? -1 : lastTenth;
            say(step, what);
        }

        @Override
        public void uploaded(RolloutPlan.Step step, long bytes, long total) {
            long tenth = total == 0 ? 10 : bytes * 10 / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                say(step, "upload " + tenth * 10 + "% (" + bytes / 1_048_576 + " of " + total / 1_048_576 + " MiB)");
            }
        }

        @Override
        public void waitingForCalls(RolloutPlan.Step step, int calls, int participants, Instant deadline) {
            say(step, "draining: " + calls + " calls, " + participants + " participants left; ended at " + deadline);
        }

        @Override
        public void done(RolloutPlan.Step step, Duration took) {
            say(step, "upgraded to " + step.target() + " in " + took.toSeconds() + " s, ready and taking calls");
        }

        @Override
        public void skipped(RolloutPlan.Step step) {
            say(step, "already on " + step.target() + ": skipped");
        }

        @Override
        public void failed(RolloutPlan.Step step, boolean rolledBack, String message) {
            say(step, rolledBack ? "FAILED, rolled back" : "FAILED");
        }

        @Override
        public void notStarted(RolloutPlan.Step step) {
            say(step, "not started (the rollout stopped)");
        }
    }
}
