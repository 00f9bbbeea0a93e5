package io.sfufleet.console.ui.config;

import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.config.ConfigDiff;
import io.sfufleet.console.provision.config.ConfigRefusedException;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.model.config.ConfigProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Config editor of one host: every key of its desired config, edits checked by the server's
 * own rules as they are typed (a refused value never enters the config, the reason is shown on its
 * row), the key-level diff with the host's file, and a push to this host or a selection with
 * per-host progress. Edits stay here until a diff or a push stores them (audited as config.set);
 * every SSH call runs on the {@link UiExecutor}.
 */
public final class ConfigEditorViewModel {
    /** Hosts pushed to at once: the CLI's default. */
    static final int PARALLEL = 4;

    private final Provisioning p;
    private final UiExecutor executor;
    private final Consumer<Runnable> fx;
    private final String host;
    private final ObservableList<KeyRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> diff = FXCollections.observableArrayList();
    private final ObservableList<PushRow> pushRows = FXCollections.observableArrayList();
    private final ObservableList<String> hostNames = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final Map<String, String> pending = new LinkedHashMap<>();
    private NodeConfig loaded;

    /** @param fx runs a callback on the FX thread (push progress comes from the push's threads) */
    public ConfigEditorViewModel(Provisioning provisioning, UiExecutor executor, Consumer<Runnable> fx, String host) {
        this.p = provisioning;
        this.executor = executor;
        this.fx = fx;
        this.host = host;
    }

    /** Reads the desired config (no SSH) and the host names a push may go to. */
    public void load() {
        load(true);
    }

    /** @param announce whether the status says what was read (not after a push, whose summary stays) */
    private void load(boolean announce) {
        busy.set(true);
        executor.submit("config of " + host, () -> new Loaded(p.configs().desired(host),
                p.hosts().list().stream().map(HostEntry::name).toList()), l -> {
                    busy.set(false);
                    loaded = l.config();
                    pending.clear();
                    rows.setAll(l.config().entries().stream().map(KeyRow::new).toList());
                    hostNames.setAll(l.hosts());
                    if (announce) {
                        status.set("the desired config of " + host + ": " + rows.size() + " keys");
                    }
                }, t -> {
                    busy.set(false);
                    status.set("cannot read the config of " + host + ": " + Dialogs.message(t));
                });
    }

    private record Loaded(NodeConfig config, List<String> hosts) {
    }

    /**
     * Takes {@code text} as the row's value if the config with it (and the other edits) passes the
     * server's rules; otherwise the row keeps its value and shows the reason. Pure checking: no I/O.
     *
     * @return whether the value was taken
     */
    public boolean edit(KeyRow row, String text) {
        String value = text.strip();
        var next = new LinkedHashMap<>(pending);
        if (value.equals(row.stored())) {
            next.remove(row.key());
        } else {
            next.put(row.key(), value);
        }
        try {
            loaded.with(assignments(next));
        } catch (ConfigRefusedException e) {
            List<ConfigProblem> mine = e.problems().stream().filter(pr -> pr.key().equals(row.key())).toList();
            List<ConfigProblem> shown = mine.isEmpty() ? e.problems() : mine;
            row.errorProperty().set(String.join("; ", shown.stream().map(pr -> (mine.isEmpty() ? pr.key() + ": " : "")
                    + pr.reason() + (pr.allowed() == null || pr.allowed().isEmpty() ? "" : " (allowed: " + pr.allowed()
                            + ")")).toList()));
            status.set(row.key() + " = " + value + " refused: " + row.errorProperty().get());
            return false;
        }
        pending.clear();
        pending.putAll(next);
        row.errorProperty().set("");
        row.valueProperty().set(value);
        row.changedProperty().set(pending.containsKey(row.key()));
        status.set(pending.isEmpty() ? "no changes" : pending.size() + " changed: " + String.join(", ", pending.keySet()));
        return true;
    }

    private static List<String> assignments(Map<String, String> edits) {
        List<String> out = new ArrayList<>();
        edits.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** The edits, stored as the desired config (config set); called on a worker before a diff or a push. */
    private void storePending(Map<String, String> edits) {
        if (!edits.isEmpty()) {
            p.configs().set(host, assignments(edits));
        }
    }

    /** Stores the edits, then diffs the desired config against the host's sfu.toml over SSH. */
    public void diffWithHost() {
        var edits = Map.copyOf(pending);
        busy.set(true);
        status.set("reading sfu.toml on " + host + "…");
        executor.submit("config diff " + host, () -> {
            storePending(edits);
            return p.configs().diff(host);
        }, d -> {
            busy.set(false);
            edits.keySet().forEach(pending::remove);
            diff.setAll(describe(d));
            status.set(d.isEmpty() ? host + " has the desired config" : d.changes().size() + " key(s) differ on " + host
                    + (d.needsRestart() ? " (a push restarts the node)" : " (a push reloads the node)"));
        }, t -> {
            busy.set(false);
            status.set("diff with " + host + " failed: " + Dialogs.message(t));
        });
    }

    static List<String> describe(ConfigDiff d) {
        List<String> lines = new ArrayList<>();
        if (d.hostUnreadable() != null && !d.hostUnreadable().isEmpty()) {
            lines.add("the host's file could not be read as a config: " + d.hostUnreadable());
        }
        d.changes().forEach(c -> lines.add(c.toString()));
        if (lines.isEmpty()) {
            lines.add("no difference");
        }
        return lines;
    }

    /**
     * Stores the edits, then pushes each target host's own desired config ({@link ConfigService#push}:
     * reload when every change is hot, else restart; a failed host gets its previous file back). The
     * view asks first.
     */
    public void push(List<String> targets) {
        if (targets.isEmpty()) {
            status.set("choose the hosts to push to");
            return;
        }
        var edits = Map.copyOf(pending);
        Map<String, PushRow> byHost = new LinkedHashMap<>();
        targets.forEach(t -> byHost.put(t, new PushRow(t)));
        pushRows.setAll(byHost.values());
        busy.set(true);
        status.set("pushing to " + String.join(", ", targets) + "…");
        executor.submit("config push " + String.join(" ", targets), () -> {
            storePending(edits);
            return p.configs().push(targets, PARALLEL, (h, stage) -> fx.accept(() -> {
                PushRow r = byHost.get(h);
                if (r != null) {
                    r.stageProperty().set(stage);
                }
            }));
        }, results -> {
            busy.set(false);
            edits.keySet().forEach(pending::remove);
            long failed = 0;
            for (ConfigService.PushResult r : results) {
                PushRow row = byHost.get(r.host());
                row.stageProperty().set(r.outcome() == ConfigService.Outcome.FAILED ? "failed" : "done");
                row.resultProperty().set(r.outcome().name().toLowerCase(Locale.ROOT));
                row.messageProperty().set(r.message() + " (" + r.millis() + " ms)");
                failed += r.outcome() == ConfigService.Outcome.FAILED ? 1 : 0;
            }
            status.set(failed == 0 ? "pushed to " + results.size() + " host(s)" : failed + " of " + results.size()
                    + " host(s) failed: see their rows");
            // the diff was from before the push
            diff.clear();
            load(false);
        }, t -> {
            busy.set(false);
            for (PushRow row : byHost.values()) {
                if (row.resultProperty().get().isEmpty()) {
                    row.stageProperty().set("not pushed");
                    row.resultProperty().set("failed");
                    row.messageProperty().set(Dialogs.message(t));
                }
            }
            status.set("the push failed: " + Dialogs.message(t));
        });
    }

    public String host() { return host; }
    public ObservableList<KeyRow> rows() { return rows; }
    public ObservableList<String> diff() { return diff; }
    public ObservableList<PushRow> pushRows() { return pushRows; }
    public ObservableList<String> hostNames() { return hostNames; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty busyProperty() { return busy; }
    /** Whether edits wait to be stored (by a diff or a push). */
    public boolean hasEdits() { return !pending.isEmpty(); }
}
