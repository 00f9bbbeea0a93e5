package io.sfufleet.console.ui.hosts;

import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.support.SupportBundle;
import io.sfufleet.console.provision.uninstall.Uninstaller;
import java.nio.file.Path;
import io.sfufleet.console.provision.PreflightSpec;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.Provisioning;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Hosts screen's state: the inventory's hosts (read on a worker), the state of the node each
 * one runs (from the fleet monitor, once per pulse), and the preflight and remove commands.
 */
public final class HostsViewModel {
    private final Provisioning p;
    private final UiExecutor executor;
    private final ObservableList<HostRow> rows = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");

    public HostsViewModel(Provisioning provisioning, UiExecutor executor) {
        this.p = provisioning;
        this.executor = executor;
    }

    /** Reads the hosts and which of them have a node in the inventory; the table follows. */
    public void reload() {
        executor.submit("list hosts", () -> {
            List<HostEntry> hosts = p.hosts().list();
            List<NodeEntry> inventory;
            synchronized (p.core().database()) {  // one shared connection, locked as the stores do
                inventory = p.core().inventory().list();
            }
            Set<String> nodes = inventory.stream().map(NodeEntry::name).collect(Collectors.toCollection(HashSet::new));
            return hosts.stream().map(h -> new HostRow(h, nodes.contains(h.name()))).toList();
        }, list -> {
            rows.setAll(list);
            refresh();
        }, t -> status.set("cannot list the hosts: " + Dialogs.message(t)));
    }

    /** The node state of each row from the monitors' latest status (no I/O). */
    public void refresh() {
        for (HostRow r : rows) {
            p.core().fleet().monitor(r.name()).ifPresent(m -> {
                NodeStatus s = m.status();
                String version = s.info() == null || s.info().version() == null ? "" : " " + s.info().version();
                r.stateProperty().set(s.health().name() + version);
            });
        }
    }

    /** The checklist with the default ports (the wizard lets the operator choose others). */
    public void preflight(String name, Consumer<List<Check>> onDone, Consumer<String> onError) {
        executor.submit("preflight " + name, () -> {
            HostEntry h = p.hosts().require(name);
            var d = io.sfufleet.console.provision.NodeSpec.defaults(h);
            return p.hosts().preflight(name, PreflightSpec.forHost(h, d.mediaPort(), d.apiPort()), p.preflight());
        }, onDone, t -> onError.accept(Dialogs.message(t)));
    }

    /** Forgets the host (its node, if any, stays in the fleet and on the host). */
    public void remove(String name, Consumer<String> onError) {
        executor.submit("remove host " + name, () -> p.hosts().remove(name), ok -> {
            status.set("removed host " + name);
            reload();
        }, t -> onError.accept(Dialogs.message(t)));
    }

    /**
     * Writes the host's support bundle to {@code out} on a worker. {@code progress} hears what runs
     * (on the FX thread); the result lists every entry and each section that failed with its error.
     */
    public void supportBundle(String name, Path out, Consumer<String> progress, Consumer<SupportBundle.Result> onDone,
            Consumer<String> onError) {
        progress.accept("connecting to " + name + "…");
        executor.submit("support bundle of " + name, () -> {
            try (HostSession s = p.hosts().connect(name)) {
                return new SupportBundle(p.core().inventory(), p.core().audit(), p.core().http(), p.core().clock())
                        .write(s, out);
            }
        }, r -> {
            status.set("support bundle of " + name + " written to " + r.file()
                    + (r.failed().isEmpty() ? "" : " (" + r.failed().size() + " sections failed)"));
            onDone.accept(r);
        }, t -> onError.accept(Dialogs.message(t)));
    }

    /** What an uninstall of the host removes, for the question asked first. */
    public static String uninstallQuestion(HostRow row, boolean keepLogs) {
        return "Stop the node and remove it from " + row.name() + " (" + row.target() + "): the installed "
                + "release, its configuration and secrets under " + row.host().prefix()
                + (keepLogs ? " (the logs in " + row.host().prefix() + "/log are kept)" : ", and its logs")
                + ", the systemd unit if it runs from this prefix"
                + ("—".equals(row.nodeProperty().get()) ? "" : "; the node " + row.nodeProperty().get()
                        + " leaves the fleet")
                + ". The host itself stays in the console.";
    }

    /** Stops and removes the host's node (keeping its logs if asked); the table follows. */
    public void uninstall(String name, boolean keepLogs, Consumer<Uninstaller.Result> onDone, Consumer<String> onError) {
        status.set("uninstalling from " + name + "…");
        executor.submit("uninstall " + name, () -> {
            try (HostSession s = p.hosts().connect(name)) {
                return new Uninstaller(p.core().inventory(), p.core().audit()).uninstall(s, keepLogs);
            }
        }, r -> {
            status.set(r.nothingInstalled() ? "nothing was installed on " + name : "uninstalled from " + name);
            onDone.accept(r);
            reload();
        }, t -> {
            status.set("uninstall from " + name + " failed");
            onError.accept(Dialogs.message(t));
        });
    }

    /** The result of an uninstall in words, for the dialog that reports it. */
    public static String describe(Uninstaller.Result r) {
        if (r.nothingInstalled()) {
            return "Nothing was installed there.";
        }
        return (r.stopped() ? "The node was stopped. " : "No node was running. ")
                + (r.removed().isEmpty() ? "" : "Removed: " + String.join(", ", r.removed()) + ". ")
                + (r.keptLogs() ? "The logs were kept. " : "")
                + (r.removedFromInventory() ? "The node left the fleet." : "");
    }

    /** The result of a support bundle in words: where it is, and which sections failed and why. */
    public static String describe(SupportBundle.Result r) {
        StringBuilder b = new StringBuilder("Written to " + r.file() + " (" + r.entries().size() + " entries).");
        if (r.failed().isEmpty()) {
            b.append(" Every section was collected.");
        } else {
            b.append(" Sections that failed (each is in the zip as its error):");
            r.failed().forEach((k, v) -> b.append("\n• ").append(k).append(": ").append(v));
        }
        return b.toString();
    }

    public ObservableList<HostRow> rows() { return rows; }
    public StringProperty statusProperty() { return status; }
    public Provisioning provisioning() { return p; }
}
