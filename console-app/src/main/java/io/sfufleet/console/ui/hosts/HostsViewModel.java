package io.sfufleet.console.ui.hosts;

import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.monitor.NodeStatus;
import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.HostEntry;
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

    public ObservableList<HostRow> rows() { return rows; }
    public StringProperty statusProperty() { return status; }
    public Provisioning provisioning() { return p; }
}
