package io.sfufleet.console.ui;

import io.sfufleet.console.alerts.Alert;
import io.sfufleet.console.alerts.AlertSeverity;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.ui.alerts.AlertsView;
import io.sfufleet.console.ui.alerts.AlertsViewModel;
import io.sfufleet.console.ui.audit.AuditView;
import io.sfufleet.console.ui.audit.AuditViewModel;
import io.sfufleet.console.ui.call.CallView;
import io.sfufleet.console.ui.call.CallViewModel;
import io.sfufleet.console.ui.fleet.FleetView;
import io.sfufleet.console.ui.fleet.FleetViewModel;
import io.sfufleet.console.ui.certs.CertsView;
import io.sfufleet.console.ui.certs.CertsViewModel;
import io.sfufleet.console.ui.hosts.HostRow;
import io.sfufleet.console.ui.hosts.HostsView;
import io.sfufleet.console.ui.hosts.HostsViewModel;
import io.sfufleet.console.ui.hosts.PreflightDialog;
import io.sfufleet.console.ui.logs.LogsPane;
import io.sfufleet.console.ui.logs.LogsViewModel;
import io.sfufleet.console.ui.provision.ProvisionWizard;
import io.sfufleet.console.ui.provision.ProvisionWizardViewModel;
import io.sfufleet.console.ui.rollout.RolloutDialog;
import io.sfufleet.console.ui.rollout.RolloutViewModel;
import io.sfufleet.console.ui.node.NodeView;
import io.sfufleet.console.ui.node.NodeViewModel;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * The console window's content: the fleet, alerts and audit tabs, plus one closable tab per opened
 * node or call. Every screen's view model is refreshed by the {@link Pulse} while its tab is open.
 */
public final class MainView extends BorderPane {
    private static final int NOTIFICATIONS_PER_PULSE = 3;

    private final ConsoleCore core;
    private final UiExecutor executor;
    private final Pulse pulse;
    private final TabPane tabs = new TabPane();
    private final FleetViewModel fleetVm;
    private final AlertsViewModel alertsVm;
    private final HostsViewModel hostsVm;
    private final CertsViewModel certsVm;
    private ProvisionWizard wizard;
    private final HostConfigActions configActions;
    private RolloutDialog rollout;

    public MainView(ConsoleCore core, UiExecutor executor, Pulse pulse) {
        this.core = core;
        this.executor = executor;
        this.pulse = pulse;
        setId("main-view");
        fleetVm = new FleetViewModel(core, executor);
        FleetView fleet = new FleetView(fleetVm, this::openNode, this::addNode, this::editNode, this::drainNode);
        Tab fleetTab = new Tab("Fleet", fleet);
        fleetTab.setId("tab-fleet");
        fleetTab.setClosable(false);

        hostsVm = new HostsViewModel(Provisioning.of(core, java.time.Duration.ofMinutes(3)), executor);
        HostsView hostsView = new HostsView(hostsVm, () -> openWizard(null), r -> openWizard(r),
                this::preflightHost, this::removeHost,
                new HostsView.Ops(r -> openLogs(r.name()), this::supportBundle, this::uninstallHost),
                this::openRollout);
        configActions = HostConfigActions.attach(hostsView, hostsVm, executor);
        Tab hostsTab = new Tab("Hosts", hostsView);
        hostsTab.setId("tab-hosts");
        hostsTab.setClosable(false);
        hostsTab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                hostsVm.reload();
            }
        });

        certsVm = new CertsViewModel(hostsVm.provisioning(), executor, javafx.application.Platform::runLater);
        Tab certsTab = new Tab("Certificates", new CertsView(certsVm));
        certsTab.setId("tab-certs");
        certsTab.setClosable(false);
        certsTab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                certsVm.reload();
            }
        });

        alertsVm = new AlertsViewModel(core, executor);
        alertsVm.setNotifier(this::notify);
        Tab alertsTab = new Tab("Alerts", new AlertsView(alertsVm));
        alertsTab.setId("tab-alerts");
        alertsTab.setClosable(false);
        alertsTab.textProperty().bind(Bindings.createStringBinding(
                () -> alertsVm.activeCountProperty().get() == 0 ? "Alerts" : "Alerts (" + alertsVm.activeCountProperty().get() + ")",
                alertsVm.activeCountProperty()));

        AuditViewModel auditVm = new AuditViewModel(core, executor);
        Tab auditTab = new Tab("Audit", new AuditView(auditVm));
        auditTab.setId("tab-audit");
        auditTab.setClosable(false);
        auditTab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                auditVm.reload();
            }
        });

        tabs.getTabs().addAll(fleetTab, hostsTab, certsTab, alertsTab, auditTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        setCenter(tabs);

        pulse.subscribe(fleetVm::refresh);
        pulse.subscribe(alertsVm::refresh);
        pulse.subscribe(() -> {
            if (hostsTab.isSelected()) {
                hostsVm.refresh();
            }
        });
        pulse.subscribe(() -> {
            if (auditTab.isSelected()) {
                auditVm.refresh();
            }
        });
    }

    public FleetViewModel fleetViewModel() {
        return fleetVm;
    }

    public TabPane tabs() {
        return tabs;
    }

    /** The Hosts screen's config editor and drift check. */
    public HostConfigActions configActions() {
        return configActions;
    }

    public HostsViewModel hostsViewModel() {
        return hostsVm;
    }

    public CertsViewModel certsViewModel() {
        return certsVm;
    }

    /** The add-host wizard last opened (for tests and screenshots); null before the first. */
    public ProvisionWizard wizard() {
        return wizard;
    }

    /** Opens the add-host wizard, fresh or on a stored host; the Hosts table reloads when it closes. */
    public ProvisionWizard openWizard(HostRow existing) {
        ProvisionWizardViewModel vm = new ProvisionWizardViewModel(hostsVm.provisioning(), executor,
                javafx.application.Platform::runLater);
        wizard = new ProvisionWizard(getScene().getWindow(), vm);
        if (existing != null) {
            wizard.setTitle("Install on " + existing.name());
            vm.startWith(existing.host());
        }
        wizard.setOnHidden(e -> hostsVm.reload());
        wizard.show();
        return wizard;
    }

    /** The rolling-upgrade window last opened (for tests and screenshots); null before the first. */
    public RolloutDialog rollout() {
        return rollout;
    }

    /** Opens the rolling upgrade; the Hosts table reloads when it closes (versions changed). */
    public RolloutDialog openRollout() {
        RolloutViewModel vm = new RolloutViewModel(hostsVm.provisioning(), java.time.Duration.ofMinutes(3), executor,
                javafx.application.Platform::runLater);
        rollout = new RolloutDialog(getScene().getWindow(), vm);
        rollout.setOnHidden(e -> hostsVm.reload());
        rollout.show();
        return rollout;
    }

    private void preflightHost(HostRow row) {
        var d = io.sfufleet.console.provision.NodeSpec.defaults(row.host());
        PreflightDialog dialog = new PreflightDialog(getScene().getWindow(), row.name(), d.mediaPort(), d.apiPort());
        dialog.show();
        hostsVm.preflight(row.name(), dialog::show, dialog::failed);
    }

    private void removeHost(HostRow row) {
        if (Dialogs.confirm(getScene().getWindow(), "Remove host " + row.name(),
                "Forget the host " + row.name() + " (" + row.target() + ") and its pinned key? Its node, if any, "
                        + "keeps running and stays in the fleet; remove it there to stop watching it.")) {
            hostsVm.remove(row.name(), err -> Dialogs.error(getScene().getWindow(), "Remove host failed", err));
        }
    }

    /**
     * Opens (or selects) the tab that follows a host's node log; closing the tab ends the tail on the
     * host. Returns the tab's view model (for tests).
     */
    public LogsViewModel openLogs(String host) {
        String id = "tab-logs-" + host;
        for (Tab t : tabs.getTabs()) {
            if (id.equals(t.getId()) && t.getUserData() instanceof LogsViewModel vm) {
                tabs.getSelectionModel().select(t);
                return vm;
            }
        }
        LogsViewModel vm = new LogsViewModel(hostsVm.provisioning(), executor, javafx.application.Platform::runLater,
                host, LogsViewModel.DEFAULT_CAPACITY);
        Tab t = new Tab("Logs " + host, new LogsPane(vm));
        t.setId(id);
        t.setUserData(vm);
        t.setOnClosed(e -> vm.stop());
        tabs.getTabs().add(t);
        tabs.getSelectionModel().select(t);
        vm.start(LogsViewModel.DEFAULT_LAST);
        return vm;
    }

    private void supportBundle(HostRow row) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the support bundle of " + row.name());
        chooser.setInitialFileName("support-" + row.name() + ".zip");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Zip archive", "*.zip"));
        java.io.File file = chooser.showSaveDialog(getScene().getWindow());
        if (file == null) {
            return;
        }
        hostsVm.supportBundle(row.name(), file.toPath(), hostsVm.statusProperty()::set,
                r -> Dialogs.info(getScene().getWindow(), "Support bundle of " + row.name(), HostsViewModel.describe(r)),
                err -> Dialogs.error(getScene().getWindow(), "Support bundle failed", err));
    }

    private void uninstallHost(HostRow row) {
        javafx.scene.control.CheckBox keep = new javafx.scene.control.CheckBox("Keep the logs");
        keep.setId("uninstall-keep-logs");
        javafx.scene.control.Label what = new javafx.scene.control.Label(HostsViewModel.uninstallQuestion(row, false));
        what.setWrapText(true);
        what.setPrefWidth(520);
        what.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);  // the whole list of what goes, never cut
        keep.selectedProperty().addListener((o, was, now) -> what.setText(HostsViewModel.uninstallQuestion(row, now)));
        javafx.scene.control.Alert ask = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION);
        ask.initOwner(getScene().getWindow());
        ask.setTitle("Uninstall from " + row.name());
        ask.setHeaderText("Uninstall the node from " + row.name() + "?");
        ask.getDialogPane().setContent(new javafx.scene.layout.VBox(10, what, keep));
        ask.getButtonTypes().setAll(javafx.scene.control.ButtonType.CANCEL,
                new javafx.scene.control.ButtonType("Uninstall", javafx.scene.control.ButtonBar.ButtonData.OK_DONE));
        ask.showAndWait().filter(b -> b.getButtonData() == javafx.scene.control.ButtonBar.ButtonData.OK_DONE)
                .ifPresent(b -> hostsVm.uninstall(row.name(), keep.isSelected(),
                        r -> Dialogs.info(getScene().getWindow(), "Uninstalled from " + row.name(),
                                HostsViewModel.describe(r)),
                        err -> Dialogs.error(getScene().getWindow(), "Uninstall failed", err)));
    }

    private void notify(List<Alert> raised) {
        if (getScene() == null || getScene().getWindow() == null || !getScene().getWindow().isShowing()) {
            return;
        }
        int shown = 0;
        for (Alert a : raised) {
            if (shown++ == NOTIFICATIONS_PER_PULSE) {
                Notifications.create().owner(getScene().getWindow()).title("More alerts")
                        .text((raised.size() - NOTIFICATIONS_PER_PULSE) + " more: see the Alerts tab")
                        .hideAfter(Duration.seconds(8)).showWarning();
                break;
            }
            Notifications n = Notifications.create().owner(getScene().getWindow())
                    .title(a.severity() + ": " + a.node()).text(a.message()).hideAfter(Duration.seconds(8));
            if (a.severity() == AlertSeverity.CRITICAL) {
                n.showError();
            } else {
                n.showWarning();
            }
        }
    }

    /** Opens (or selects) a node's tab. */
    public void openNode(String name) {
        String id = "tab-node-" + name;
        if (select(id)) {
            return;
        }
        NodeViewModel vm = new NodeViewModel(core, executor, name);
        NodeView view = new NodeView(vm, call -> openCall(name, call), () -> drainNode(name), core.clock()::millis);
        open(id, "Node " + name, view, vm::refresh);
        // a node installed from this console runs on the host of the same name: its log is one click away
        executor.submit("find the host of " + name, () -> hostsVm.provisioning().hosts().list().stream()
                .anyMatch(h -> h.name().equals(name)), has -> {
                    if (has) {
                        view.offerLogs(() -> openLogs(name));
                    }
                }, t -> { /* the hosts cannot be read: the node screen simply has no Logs button */ });
    }

    /** Opens (or selects) a call's tab. */
    public void openCall(String node, String callId) {
        String id = "tab-call-" + node + "-" + callId;
        if (select(id)) {
            return;
        }
        CallViewModel vm = new CallViewModel(core, executor, node, callId);
        open(id, "Call " + callId, new CallView(vm, core.clock()::millis), vm::refresh);
    }

    private boolean select(String id) {
        for (Tab t : tabs.getTabs()) {
            if (id.equals(t.getId())) {
                tabs.getSelectionModel().select(t);
                return true;
            }
        }
        return false;
    }

    private void open(String id, String title, javafx.scene.Node content, Runnable refresh) {
        Tab t = new Tab(title, content);
        t.setId(id);
        t.setOnClosed(e -> pulse.unsubscribe(refresh));
        pulse.subscribe(refresh);
        refresh.run();
        tabs.getTabs().add(t);
        tabs.getSelectionModel().select(t);
    }

    private void addNode() {
        new NodeDialog(getScene().getWindow(), null, null).showAndWait().ifPresent(f ->
                fleetVm.addNode(f.name(), f.url(), f.token(),
                        err -> Dialogs.error(getScene().getWindow(), "Add node failed", err)));
    }

    private void editNode(String name) {
        String url = core.fleet().monitor(name).map(m -> m.entry().apiUrl()).orElse("http://");
        new NodeDialog(getScene().getWindow(), name, url).showAndWait().ifPresent(f ->
                fleetVm.editNode(name, f.url(), f.token(),
                        err -> Dialogs.error(getScene().getWindow(), "Edit node failed", err)));
    }

    private void drainNode(String name) {
        new DrainDialog(getScene().getWindow(), name).showAndWait().ifPresent(f ->
                fleetVm.drain(name, f.deadline(), f.typed(), f.reason(),
                        ok -> Dialogs.info(getScene().getWindow(), "Drain", ok),
                        err -> Dialogs.error(getScene().getWindow(), "Drain failed", err)));
    }
}
