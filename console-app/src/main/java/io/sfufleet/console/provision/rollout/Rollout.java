package io.sfufleet.console.provision.rollout;

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
import io.sfufleet.console.release.BundleVerifier;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.release.BundleRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * A rolling upgrade of installed nodes to a new signed bundle. {@link #plan} checks everything it can
 * before anything is touched (the bundle's signature against the site key, every host reachable with
 * its pinned key, every node's API answering) and lists the hosts in order. {@link #run} then does
 * one node at a time: stage the release while the node still serves, drain it with a deadline, wait
 * until its calls end or the deadline passes, switch {@code current}, restart, wait for /readyz, check
 * the version the API reports, undrain. When any of that fails the node is put back on the release it
 * ran (install.sh --rollback when the switch happened), restarted if needed, undrained, and the
 * rollout stops: later nodes are not touched. Every step is audited.
 *
 * <p>The host and the node are matched by name: the installer registers a host's node under the
 * host's name.
 */
public final class Rollout {
    /** After the drain deadline the node ends the calls left; this long is allowed for that. */
    private static final Duration AFTER_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final HostService hosts;
    private final Inventory inventory;
    private final AuditLog audit;
    private final NodeActions actions;
    private final Installer installer;
    private final OkHttpClient http;
    private final Clock clock;

    public Rollout(HostService hosts, Inventory inventory, AuditLog audit, OkHttpClient http, Duration readyTimeout,
            Clock clock) {
        this.hosts = hosts;
        this.inventory = inventory;
        this.audit = audit;
        this.http = http;
        this.clock = clock;
        this.actions = new NodeActions(audit, clock);
        this.installer = new Installer(inventory, audit, http, readyTimeout);
    }

    /**
     * Checks the bundle and the hosts (in the order given) and says what would be done. Touches
     * nothing; every problem found is reported at once.
     *
     * @throws RolloutRefusedException listing every problem
     */
    public RolloutPlan plan(Path bundle, Path siteKey, List<String> hostNames) {
        String target;
        List<String> problems = new ArrayList<>();
        try {
            target = Installer.versionOf(bundle);
        } catch (IllegalArgumentException e) {
            throw refused(bundle, List.of(e.getMessage()));
        }
        try {
            BundleVerifier.Verified v = BundleVerifier.verify(bundle, siteKey);
            if (!v.version().equals(target)) {
                problems.add("the bundle's VERSION is " + v.version() + " but its file name says " + target
                        + "; use the bundle as the build made it");
            }
        } catch (BundleRejectedException e) {
            problems.add("the bundle " + bundle.getFileName() + " failed its signature check against the site key "
                    + siteKey + ": " + String.join("; ", e.reasons()) + "; use a bundle signed for this site");
        } catch (IOException e) {
            problems.add("cannot read the bundle or the site key: " + e.getMessage());
        }
        if (hostNames.isEmpty()) {
            problems.add("no hosts given (name hosts, or --all for every host with an installed node)");
        }
        List<RolloutPlan.Step> steps = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(hostNames)) {
            Optional<RolloutPlan.Step> step = check(name, target, problems);
            step.ifPresent(steps::add);
        }
        if (!problems.isEmpty()) {
            throw refused(bundle, problems);
        }
        RolloutPlan plan = new RolloutPlan(bundle, siteKey, target, steps);
        audit.record(null, "rollout.plan", bundle.getFileName().toString(), "ok: " + describe(plan));
        return plan;
    }

    /** The hosts with an installed node (a fleet node of the same name), in name order: {@code --all}. */
    public List<String> installedHosts() {
        return hosts.list().stream().map(HostEntry::name).filter(n -> inventory.find(n).isPresent()).sorted().toList();
    }

    private Optional<RolloutPlan.Step> check(String name, String target, List<String> problems) {
        HostEntry host;
        try {
            host = hosts.require(name);
        } catch (RuntimeException e) {
            problems.add(name + ": " + e.getMessage());
            return Optional.empty();
        }
        if (!host.trusted()) {
            problems.add(name + ": its host key was never accepted; run sfu-console hosts trust " + name + " first");
            return Optional.empty();
        }
        Optional<NodeEntry> node = inventory.find(name);
        if (node.isEmpty()) {
            problems.add(name + ": no node " + name + " in the fleet, so nothing was installed there to upgrade"
                    + " (install it with sfu-console install)");
            return Optional.empty();
        }
        String current;
        try {
            current = client(node.get()).nodeInfo().version();
        } catch (RuntimeException e) {
            problems.add(name + ": its node's API at " + node.get().apiUrl() + " does not answer (" + e.getMessage()
                    + "); a node is drained and checked through it, so fix that first");
            return Optional.empty();
        }
        try (HostSession s = hosts.connect(name)) {
            s.exec("true", Duration.ofSeconds(30)).require();
        } catch (RuntimeException e) {
            problems.add(name + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new RolloutPlan.Step(name, name, current, target, current.equals(target)));
    }

    private RolloutRefusedException refused(Path bundle, List<String> problems) {
        audit.record(null, "rollout.plan", bundle.getFileName().toString(), "error: " + String.join("; ", problems));
        return new RolloutRefusedException(problems);
    }

    private static String describe(RolloutPlan plan) {
        List<String> parts = new ArrayList<>();
        for (RolloutPlan.Step s : plan.steps()) {
            parts.add(s.host() + " " + s.current() + (s.skip() ? " (already)" : " -> " + s.target()));
        }
        return String.join(", ", parts);
    }

    /**
     * Upgrades the plan's nodes one at a time; stops at the first failure (that node rolled back or
     * left on its release, the ones after it untouched). Blocking: run it off the UI thread.
     *
     * @param drainDeadline how long a node's calls may go on after it is drained
     */
    public RolloutResult run(RolloutPlan plan, Duration drainDeadline, RolloutListener listener) {
        if (drainDeadline.isNegative() || drainDeadline.isZero()) {
            throw new IllegalArgumentException("the drain deadline must be positive, not " + drainDeadline);
        }
        audit.record(null, "rollout.start", plan.bundle().getFileName().toString(),
                "ok: " + describe(plan) + "; drain deadline " + drainDeadline);
        List<RolloutResult.NodeResult> results = new ArrayList<>();
        boolean stopped = false;
        for (RolloutPlan.Step step : plan.steps()) {
            if (stopped) {
                results.add(new RolloutResult.NodeResult(step, RolloutResult.Status.NOT_STARTED, null));
                listener.notStarted(step);
            } else if (step.skip()) {
                results.add(new RolloutResult.NodeResult(step, RolloutResult.Status.SKIPPED, null));
                listener.skipped(step);
            } else {
                RolloutResult.NodeResult r = upgrade(plan, step, drainDeadline, listener);
                results.add(r);
                stopped = r.status() != RolloutResult.Status.UPGRADED;
            }
        }
        RolloutResult result = new RolloutResult(results);
        audit.record(null, "rollout.end", plan.bundle().getFileName().toString(),
                (result.ok() ? "ok: " : "error: stopped; ") + results.stream()
                        .map(n -> n.step().host() + " " + n.status().name().toLowerCase(java.util.Locale.ROOT))
                        .reduce((a, b) -> a + ", " + b).orElse("no hosts"));
        return result;
    }

    /** How far one node's upgrade got, for the recovery. */
    private static final class Progress {
        String stage = "connect";
        boolean drained;
        boolean switched;
    }

    private RolloutResult.NodeResult upgrade(RolloutPlan plan, RolloutPlan.Step step, Duration drainDeadline,
            RolloutListener listener) {
        long t0 = System.nanoTime();
        NodeEntry node = inventory.require(step.node());
        NodeClient client = client(node);
        Progress p = new Progress();
        Installer.HostState state = null;
        listener.stage(step, "connect");
        try (HostSession s = hosts.connect(step.host())) {
            state = installer.state(s);
            Installer.StartMode mode = state.mode();
            installer.stage(s, plan.bundle(), plan.siteKey(), new Installer.Progress() {
                @Override
                public void stage(String what) {
                    p.stage = what;
                    listener.stage(step, what);
                }

                @Override
                public void uploaded(long bytes, long total) {
                    listener.uploaded(step, bytes, total);
                }
            });
            audit.record(step.node(), "rollout.stage", plan.target(), "ok: releases/" + plan.target() + " staged on "
                    + step.host() + ", still running " + state.current());

            stage(p, listener, step, "drain");
            actions.drain(step.node(), client, drainDeadline, drainDeadline.toString(),
                    "rolling upgrade to " + plan.target());
            p.drained = true;
            stage(p, listener, step, "wait");
            waitForCalls(client, step, Instant.now(clock).plus(drainDeadline), listener);

            stage(p, listener, step, "switch");
            p.switched = true;  // from here on, current may point at the new release: recovery checks
            installer.switchTo(s, mode, plan.target());
            audit.record(step.node(), "rollout.switch", plan.target(), "ok: current -> releases/" + plan.target()
                    + " (previous: " + state.current() + ")");
            stage(p, listener, step, "restart");
            installer.restart(s, mode);
            stage(p, listener, step, "ready");
            installer.waitReady(s, step.node(), node.apiUrl(), node.token());
            stage(p, listener, step, "version");
            String running = client.nodeInfo().version();
            if (!running.equals(plan.target())) {
                throw new IllegalStateException("after the switch the node reports version " + running + ", not "
                        + plan.target() + " (is another sfu-server answering on " + node.apiUrl() + "?)");
            }
            stage(p, listener, step, "undrain");
            actions.undrain(step.node(), client);
            p.drained = false;
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            audit.record(step.node(), "rollout.node", plan.target(), "ok: upgraded " + step.current() + " -> "
                    + plan.target() + " in " + took.toSeconds() + " s");
            listener.done(step, took);
            return new RolloutResult.NodeResult(step, RolloutResult.Status.UPGRADED, null);
        } catch (RuntimeException e) {
            return recover(plan, step, node, client, p, e, listener);
        }
    }

    private static void stage(Progress p, RolloutListener listener, RolloutPlan.Step step, String what) {
        p.stage = what;
        listener.stage(step, what);
    }

    /** Until the node has no calls, or the deadline (and the time the node takes to end the rest) has passed. */
    private void waitForCalls(NodeClient client, RolloutPlan.Step step, Instant deadline, RolloutListener listener) {
        Instant giveUp = deadline.plus(AFTER_DEADLINE);
        int lastCalls = -1;
        int lastParticipants = -1;
        long lastReport = 0;
        while (true) {
            NodeInfo info = client.nodeInfo();
            long now = System.nanoTime();
            if (info.calls() != lastCalls || info.participants() != lastParticipants
                    || now - lastReport > REPORT_EVERY.toNanos()) {
                listener.waitingForCalls(step, info.calls(), info.participants(), deadline);
                lastCalls = info.calls();
                lastParticipants = info.participants();
                lastReport = now;
            }
            if (info.calls() == 0 || Instant.now(clock).isAfter(giveUp)) {
                return;
            }
            sleep(POLL);
        }
    }

    /**
     * Puts the node back on the release it ran, over a new SSH connection (the failure may have been
     * the old one dying): rolled back if {@code current} was switched, restarted if the node is not
     * running, undrained, and waited for. Says what failed and what state the node is in now.
     */
    private RolloutResult.NodeResult recover(RolloutPlan plan, RolloutPlan.Step step, NodeEntry node,
            NodeClient client, Progress p, RuntimeException cause, RolloutListener listener) {
        String failed = step.host() + ": the upgrade to " + plan.target() + " failed at " + p.stage + ": "
                + cause.getMessage();
        audit.record(step.node(), "rollout.node", plan.target(), "error at " + p.stage + ": " + cause.getMessage());
        listener.stage(step, "recover");
        boolean rolledBack = false;
        List<String> state = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        try (HostSession s = hosts.connect(step.host())) {
            Installer.HostState now = installer.state(s);
            if (p.switched && now.current().equals("releases/" + plan.target())) {
                listener.stage(step, "rollback");
                installer.rollBack(s, now.mode());
                rolledBack = true;
                audit.record(step.node(), "rollout.rollback", plan.target(), "ok: current -> "
                        + installer.state(s).current());
            } else if (!answers(client)) {
                listener.stage(step, "restart");
                installer.restart(s, now.mode());
            }
            if (p.drained) {
                listener.stage(step, "undrain");
                undrainWhenUp(step, client);
            }
            listener.stage(step, "ready");
            installer.waitReady(s, step.node(), node.apiUrl(), node.token(), installer.rollbackReadyTimeout());
            String version = client.nodeInfo().version();
            state.add(rolledBack ? "rolled back to " + version + ", which is ready and taking calls again"
                    : "still on " + version + " (current was not switched), ready and taking calls");
            s.exec("rm -rf " + io.sfufleet.console.provision.Shell.quote(s.host().prefix()) + "/incoming",
                    Duration.ofSeconds(60));
        } catch (RuntimeException again) {
            state.add("putting it back failed too: " + again.getMessage());
            todo.add("check the node by hand (sfu-console node " + step.node() + " info; on the host "
                    + hosts.require(step.host()).prefix() + "/current and its log/sfu-server.log), roll it back with"
                    + " install.sh --rollback if current is " + "releases/" + plan.target() + ", and undrain it"
                    + " (sfu-console node " + step.node() + " undrain)");
            audit.record(step.node(), "rollout.recover", plan.target(), "error: " + again.getMessage());
        }
        List<String> untouched = plan.steps().subList(plan.steps().indexOf(step) + 1, plan.steps().size()).stream()
                .filter(s -> !s.skip()).map(RolloutPlan.Step::host).toList();
        todo.add("fix the cause and run the rollout again (nodes already on " + plan.target() + " are skipped)");
        String message = failed + ". " + String.join("; ", state) + ". The rollout stopped"
                + (untouched.isEmpty() ? "" : "; not touched: " + String.join(", ", untouched)) + ". To do: "
                + String.join("; then ", todo) + ".";
        listener.failed(step, rolledBack, message);
        return new RolloutResult.NodeResult(step, rolledBack ? RolloutResult.Status.ROLLED_BACK
                : RolloutResult.Status.FAILED, message);
    }

    /** Undrains as soon as the API answers (a restarted node is not draining, but this says so in the audit). */
    private void undrainWhenUp(RolloutPlan.Step step, NodeClient client) {
        Duration limit = installer.rollbackReadyTimeout();
        long deadline = System.nanoTime() + limit.toNanos();
        while (!answers(client)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node's API did not answer within " + limit.toSeconds()
                        + " s, so it could not be undrained");
            }
            sleep(POLL);
        }
        actions.undrain(step.node(), client);
    }

    private static boolean answers(NodeClient client) {
        try {
            return client.nodeInfo().state() != NodeState.stopping;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private NodeClient client(NodeEntry node) {
        return new NodeClient(http, NodeClient.parseBaseUrl(node.apiUrl()), node.token(), ApiJson.newMapper());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
