package io.sfufleet.console.ui.rollout;

import io.sfufleet.console.provision.rollout.Rollout;
import io.sfufleet.console.provision.rollout.RolloutListener;
import io.sfufleet.console.provision.rollout.RolloutPlan;
import io.sfufleet.console.provision.rollout.RolloutRefusedException;
import io.sfufleet.console.provision.rollout.RolloutResult;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The rolling-upgrade window's state: the bundle, site key (the last used, shared with the wizard),
 * hosts and drain deadline; Plan (the service's checks, on a worker) fills the table or lists every
 * reason it was refused; Start runs {@link Rollout#run} on a worker and posts each node's progress
 * to the FX thread. The service audits every step.
 *
 * <p>There is no "stop after this node": {@link Rollout#run} has no way to be told to stop between
 * nodes, and interrupting its thread would abandon a node half upgraded. The window says so.
 */
public final class RolloutViewModel {
    private static final Pattern DEADLINE = Pattern.compile("(\\d{1,6})\\s*(s|m|h)?");

    private final Provisioning p;
    private final Rollout rollout;
    private final UiExecutor executor;
    /** Runs a UI update on the FX thread ({@code Platform::runLater}; inline in tests). */
    private final Consumer<Runnable> fx;

    private final StringProperty bundle = new SimpleStringProperty("");
    private final StringProperty siteKey = new SimpleStringProperty("");
    private final StringProperty drainDeadline = new SimpleStringProperty("10m");
    private final BooleanProperty allHosts = new SimpleBooleanProperty(true);
    private final ObservableList<String> installedHosts = FXCollections.observableArrayList();
    /** The hosts picked when not all, in the order the list hands them over: the upgrade order. */
    private final ObservableList<String> chosenHosts = FXCollections.observableArrayList();

    private final ObjectProperty<RolloutPlan> plan = new SimpleObjectProperty<>();
    private final ObservableList<RolloutRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final ObjectProperty<RolloutResult> result = new SimpleObjectProperty<>();

    public RolloutViewModel(Provisioning provisioning, Duration readyTimeout, UiExecutor executor,
            Consumer<Runnable> fx) {
        this.p = provisioning;
        this.executor = executor;
        this.fx = fx;
        this.rollout = new Rollout(provisioning.hosts(), provisioning.core().inventory(), provisioning.core().audit(),
                provisioning.core().http(), readyTimeout, provisioning.core().clock());
        provisioning.lastBundle().ifPresent(bundle::set);
        provisioning.lastSiteKey().ifPresent(siteKey::set);
    }

    /** Reads the hosts that have an installed node (the "all" choice), on a worker. */
    public void loadHosts() {
        executor.submit("list installed hosts", rollout::installedHosts, installedHosts::setAll,
                t -> error.set("cannot list the hosts: " + Dialogs.message(t)));
    }

    /** Checks the bundle, key and hosts (touches nothing); the table shows the plan or the reasons. */
    public void plan() {
        if (busy.get()) {
            return;
        }
        plan.set(null);
        rows.clear();
        problems.clear();
        result.set(null);
        progress.set(0);
        summary.set("");
        String invalid = validate();
        error.set(invalid);
        if (!invalid.isEmpty()) {
            return;
        }
        Path b = Path.of(bundle.get().strip());
        Path k = Path.of(siteKey.get().strip());
        boolean all = allHosts.get();
        List<String> chosen = List.copyOf(chosenHosts);
        busy.set(true);
        executor.submit("plan the rollout of " + b.getFileName(), () -> {
            p.rememberInstallFiles(b.toString(), k.toString());
            return rollout.plan(b, k, all ? rollout.installedHosts() : chosen);
        }, pl -> {
            busy.set(false);
            plan.set(pl);
            rows.setAll(pl.steps().stream().map(RolloutRow::new).toList());
            summary.set(pl.toUpgrade().isEmpty() ? "Every host already runs " + pl.target() + ": nothing to do."
                    : pl.toUpgrade().size() + " of " + pl.steps().size() + " nodes to upgrade to " + pl.target()
                            + ", one at a time, in this order. Nothing was touched yet.");
        }, t -> {
            busy.set(false);
            if (t instanceof RolloutRefusedException r) {
                problems.setAll(r.problems());
                error.set("The plan was refused (nothing was touched): fix every reason below, then Plan again.");
            } else {
                error.set(Dialogs.message(t));
            }
        });
    }

    /** What is wrong with the fields, or empty. */
    String validate() {
        List<String> wrong = new ArrayList<>();
        if (bundle.get().isBlank()) {
            wrong.add("choose the bundle (sfu-server-VERSION-linux-x64.tar.gz)");
        } else if (!Files.isRegularFile(Path.of(bundle.get().strip()))) {
            wrong.add("the bundle " + bundle.get().strip() + " is not a file");
        }
        if (siteKey.get().isBlank()) {
            wrong.add("choose the site key (the release-signing public key)");
        } else if (!Files.isRegularFile(Path.of(siteKey.get().strip()))) {
            wrong.add("the site key " + siteKey.get().strip() + " is not a file");
        }
        if (!allHosts.get() && chosenHosts.isEmpty()) {
            wrong.add("pick at least one host, or all installed hosts");
        }
        try {
            deadline();
        } catch (IllegalArgumentException e) {
            wrong.add(e.getMessage());
        }
        return String.join("; ", wrong);
    }

    /** The drain deadline typed: {@code 90s}, {@code 10m}, {@code 1h}, or seconds. */
    Duration deadline() {
        Matcher m = DEADLINE.matcher(drainDeadline.get().strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("the drain deadline must be a positive number of seconds, or like 90s, "
                    + "10m or 1h, not \"" + drainDeadline.get() + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Whether Start may be pressed: a plan with something to upgrade, and nothing running. */
    public boolean canStart() {
        return plan.get() != null && !plan.get().toUpgrade().isEmpty() && !busy.get() && result.get() == null;
    }

    /** What the confirmation asks. */
    public String confirmation() {
        RolloutPlan pl = plan.get();
        return "Upgrade " + String.join(", ", pl.toUpgrade().stream().map(RolloutPlan.Step::host).toList()) + " to "
                + pl.target() + ", one node at a time? Each node is drained (its calls may go on for up to "
                + drainDeadline.get().strip() + "), restarted on the new release and undrained. A node that fails is "
                + "rolled back and the rollout stops there.";
    }

    /** Runs the plan on a worker; the rows follow each node's progress. The plan is not re-checked. */
    public void start() {
        if (!canStart()) {
            return;
        }
        RolloutPlan pl = plan.get();
        Duration d = deadline();
        int total = pl.steps().size();
        busy.set(true);
        running.set(true);
        error.set("");
        summary.set("Upgrading to " + pl.target() + "…");
        RolloutListener listener = new RolloutListener() {
            @Override
            public void stage(RolloutPlan.Step step, String what) {
                post(step, r -> r.stage(what));
            }

            @Override
            public void uploaded(RolloutPlan.Step step, long bytes, long all) {
                post(step, r -> r.uploaded(bytes, all));
            }

            @Override
            public void waitingForCalls(RolloutPlan.Step step, int calls, int participants, Instant deadline) {
                post(step, r -> r.waiting(calls, participants, deadline, Instant.now()));
            }

            @Override
            public void done(RolloutPlan.Step step, Duration took) {
                post(step, r -> {
                    r.finish("done", "upgraded in " + took.toSeconds() + " s; ready and taking calls");
                    r.current(step.target());
                });
            }

            @Override
            public void skipped(RolloutPlan.Step step) {
                post(step, r -> r.finish("skipped", "already runs " + step.target()));
            }

            @Override
            public void failed(RolloutPlan.Step step, boolean rolledBack, String message) {
                post(step, r -> r.finish(rolledBack ? "rolled back" : "failed", message));
            }

            @Override
            public void notStarted(RolloutPlan.Step step) {
                post(step, r -> r.finish("not started", "not touched: an earlier node failed"));
            }

            private void post(RolloutPlan.Step step, Consumer<RolloutRow> change) {
                fx.accept(() -> {
                    row(step).ifPresent(change);
                    progress.set((double) rows.stream().filter(RolloutRow::finished).count() / Math.max(1, total));
                });
            }
        };
        executor.submit("roll out " + pl.target(), () -> rollout.run(pl, d, listener), r -> {
            busy.set(false);
            running.set(false);
            result.set(r);
            progress.set(1);
            p.core().inventoryChanged();
            long upgraded = r.nodes().stream().filter(n -> n.status() == RolloutResult.Status.UPGRADED).count();
            summary.set(r.ok() ? "Done: " + upgraded + " upgraded to " + pl.target() + ", "
                    + (r.nodes().size() - upgraded) + " already on it."
                    : "The rollout stopped: " + r.nodes().stream().filter(n -> n.message() != null)
                            .map(RolloutResult.NodeResult::message).findFirst().orElse("a node failed"));
        }, t -> {
            busy.set(false);
            running.set(false);
            error.set("The rollout ended with an error: " + Dialogs.message(t)
                    + ". Check the nodes on the Fleet screen and the audit log.");
        });
    }

    /** Recomputes the countdown of a draining node (once a second, from the view). */
    public void tick(Instant now) {
        rows.forEach(r -> r.tick(now));
    }

    private java.util.Optional<RolloutRow> row(RolloutPlan.Step step) {
        return rows.stream().filter(r -> r.step().equals(step)).findFirst();
    }

    public StringProperty bundleProperty() { return bundle; }
    public StringProperty siteKeyProperty() { return siteKey; }
    public StringProperty drainDeadlineProperty() { return drainDeadline; }
    public BooleanProperty allHostsProperty() { return allHosts; }
    public ObservableList<String> installedHosts() { return installedHosts; }
    public ObservableList<String> chosenHosts() { return chosenHosts; }
    public ObjectProperty<RolloutPlan> planProperty() { return plan; }
    public ObservableList<RolloutRow> rows() { return rows; }
    public ObservableList<String> problems() { return problems; }
    public StringProperty errorProperty() { return error; }
    public StringProperty summaryProperty() { return summary; }
    public DoubleProperty progressProperty() { return progress; }
    public BooleanProperty busyProperty() { return busy; }
    public BooleanProperty runningProperty() { return running; }
    public ObjectProperty<RolloutResult> resultProperty() { return result; }
}
