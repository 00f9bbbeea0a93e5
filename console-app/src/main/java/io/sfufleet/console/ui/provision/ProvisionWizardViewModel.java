package io.sfufleet.console.ui.provision;

import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostKeyChangedException;
import io.sfufleet.console.provision.HostKeyNotTrustedException;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.PreflightSpec;
import io.sfufleet.console.provision.Verdict;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
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
 * The add-host wizard's state and commands. Every SSH step runs on the {@link UiExecutor}; the
 * wizard only moves on when the step's service call succeeded, so a cancel leaves at most a stored
 * host whose key is not trusted yet (listed as such on the Hosts screen).
 */
public final class ProvisionWizardViewModel {
    /** The wizard's pages, in order. */
    public enum Step {
        CONNECTION("Connection"), HOST_KEY("Host key"), PREFLIGHT("Preflight"), INSTALL("Install"), DONE("Done");

        private final String title;

        Step(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final Provisioning p;
    private final UiExecutor executor;
    /** Runs a UI update on the FX thread ({@code Platform::runLater}; inline in tests). */
    private final Consumer<Runnable> fx;

    private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.CONNECTION);
    private final BooleanProperty busy = new SimpleBooleanProperty();

    // (1) connection
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty sshPort = new SimpleStringProperty("22");
    private final StringProperty user = new SimpleStringProperty("root");
    private final ObjectProperty<HostAuth> auth = new SimpleObjectProperty<>(HostAuth.KEY);
    private final StringProperty keyFile = new SimpleStringProperty("");
    private final StringProperty secret = new SimpleStringProperty("");
    private final StringProperty prefix = new SimpleStringProperty("/opt/sfu");
    private final StringProperty connectionError = new SimpleStringProperty("");

    // (2) host key
    private final ObjectProperty<HostEntry> host = new SimpleObjectProperty<>();
    private final StringProperty presented = new SimpleStringProperty("");
    private final StringProperty pinned = new SimpleStringProperty("");
    private final BooleanProperty keyChanged = new SimpleBooleanProperty();
    private final BooleanProperty replaceConfirmed = new SimpleBooleanProperty();
    private final BooleanProperty keyAccepted = new SimpleBooleanProperty();
    private final StringProperty keyMessage = new SimpleStringProperty("");
    private final StringProperty keyError = new SimpleStringProperty("");

    // (3) preflight, with the node's ports it checks (the install uses the same)
    private final StringProperty mediaPort = new SimpleStringProperty("");
    private final StringProperty httpPort = new SimpleStringProperty("");
    private final StringProperty apiPort = new SimpleStringProperty("");
    private final StringProperty bindAddress = new SimpleStringProperty("");
    private final ObservableList<Check> checks = FXCollections.observableArrayList();
    private final BooleanProperty preflightRan = new SimpleBooleanProperty();
    private final StringProperty preflightMessage = new SimpleStringProperty("");

    // (4) install
    private final StringProperty bundle = new SimpleStringProperty("");
    private final StringProperty siteKey = new SimpleStringProperty("");
    private final DoubleProperty uploadProgress = new SimpleDoubleProperty();
    private final StringProperty uploadText = new SimpleStringProperty("");
    private final ObservableList<String> stages = FXCollections.observableArrayList();
    private final StringProperty installError = new SimpleStringProperty("");
    private final BooleanProperty installing = new SimpleBooleanProperty();

    // (5) done
    private final StringProperty doneText = new SimpleStringProperty("");

    public ProvisionWizardViewModel(Provisioning provisioning, UiExecutor executor, Consumer<Runnable> fx) {
        this.p = provisioning;
        this.executor = executor;
        this.fx = fx;
        provisioning.lastBundle().ifPresent(bundle::set);
        provisioning.lastSiteKey().ifPresent(siteKey::set);
    }

    /** Opens the wizard on a host already in the inventory: its key is checked (or accepted) first. */
    public void startWith(HostEntry existing) {
        host.set(existing);
        name.set(existing.name());
        address.set(existing.address());
        sshPort.set(Integer.toString(existing.sshPort()));
        user.set(existing.user());
        auth.set(existing.auth());
        keyFile.set(existing.keyFile() == null ? "" : existing.keyFile());
        prefix.set(existing.prefix());
        defaultPorts(existing);
        step.set(Step.HOST_KEY);
        checkKey();
    }

    // ------------------------------------------------------------ (1) connection

    /** The host as typed, or an error that names the field; nothing is sent anywhere. */
    HostStore.NewHost typedHost() {
        int port;
        try {
            port = Integer.parseInt(sshPort.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SSH port must be a number from 1 to 65535, not " + sshPort.get());
        }
        String key = auth.get() == HostAuth.KEY ? keyFile.get().strip() : null;
        if (key != null && !key.isEmpty() && !Files.isReadable(Path.of(key))) {
            throw new IllegalArgumentException("cannot read the private key file " + key
                    + ": choose the file with \"Browse…\"");
        }
        // the agent holds the keys: no file and no secret are stored for it
        String s = secret.get().isEmpty() || auth.get() == HostAuth.AGENT ? null : secret.get();
        return new HostStore.NewHost(name.get().strip(), address.get().strip(), port, user.get().strip(), auth.get(),
                key, s, prefix.get().strip());
    }

    /** Inline validation as the operator types: empty when the connection page is complete. */
    public String validateConnection() {
        try {
            typedHost();
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Stores the host and asks it for its key; moves to the host-key page with the key shown. */
    public void connect() {
        HostStore.NewHost h;
        try {
            h = typedHost();
        } catch (IllegalArgumentException e) {
            connectionError.set(e.getMessage());
            return;
        }
        connectionError.set("");
        busy.set(true);
        executor.submit("add host " + h.name(), () -> addOrUndo(h), added -> {
            busy.set(false);
            host.set(added.host());
            presented.set(added.presented().fingerprint());
            pinned.set("");
            keyChanged.set(false);
            keyMessage.set("The host " + h.name() + " presents this " + added.presented().type() + " key. Compare it "
                    + "with the one on the host's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before "
                    + "accepting it.");
            defaultPorts(added.host());
            step.set(Step.HOST_KEY);
        }, t -> {
            busy.set(false);
            connectionError.set(Dialogs.message(t));
        });
    }

    /**
     * HostService.add stores the host, then reads its key: when the key cannot be read (wrong address
     * or port), the stored host is removed again (audited), so the operator can correct and retry.
     */
    private HostService.Added addOrUndo(HostStore.NewHost h) {
        try {
            return p.hosts().add(h);
        } catch (RuntimeException e) {
            boolean stored = e instanceof io.sfufleet.console.provision.ProvisionException
                    && p.hosts().list().stream().anyMatch(x -> x.name().equals(h.name()) && !x.trusted());
            if (stored) {
                p.hosts().remove(h.name());
            }
            throw e;
        }
    }

    private void defaultPorts(HostEntry h) {
        NodeSpec d = NodeSpec.defaults(h);
        if (mediaPort.get().isEmpty()) {
            mediaPort.set(Integer.toString(d.mediaPort()));
            httpPort.set(Integer.toString(d.httpPort()));
            apiPort.set(Integer.toString(d.apiPort()));
            bindAddress.set(d.bindAddress());
        }
    }

    // ------------------------------------------------------------ (2) host key

    /** For a stored host: a trusted one logs in against its pinned key, an untrusted one shows its key. */
    void checkKey() {
        HostEntry h = host.get();
        keyError.set("");
        busy.set(true);
        if (!h.trusted()) {
            executor.submit("probe " + h.name(), () -> p.ssh().probe(h.address(), h.sshPort()), k -> {
                busy.set(false);
                presented.set(k.fingerprint());
                keyMessage.set("The host " + h.name() + " presents this " + k.type() + " key, never accepted yet. "
                        + "Compare it with the one on the host's console before accepting it.");
            }, t -> {
                busy.set(false);
                keyError.set(Dialogs.message(t));
            });
            return;
        }
        executor.submit("check " + h.name(), () -> {
            try (HostSession s = p.hosts().connect(h.name())) {
                return s.hostKey();
            }
        }, k -> {
            busy.set(false);
            presented.set(k.fingerprint());
            pinned.set(h.hostKeyFingerprint());
            keyAccepted.set(true);
            keyMessage.set("The host presents its pinned key, and the login works.");
        }, t -> {
            busy.set(false);
            if (t instanceof HostKeyChangedException c) {
                keyChanged.set(true);
                pinned.set(c.pinned());
                presented.set(c.presented());
                keyError.set("WARNING: the host key of " + h.name() + " has CHANGED.\nPinned:    " + c.pinned()
                        + "\nPresented: " + c.presented() + "\nSomeone may be intercepting the connection, or the host "
                        + "was reinstalled. Nothing was sent. Only replace the pinned key after checking the new one "
                        + "on the host's console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub).");
            } else {
                keyError.set(Dialogs.message(t));
            }
        });
    }

    /** Can the operator press Accept now? A changed key needs the explicit confirmation first. */
    public BooleanBinding canAccept() {
        return Bindings.createBooleanBinding(() -> !busy.get() && !keyAccepted.get() && host.get() != null
                && !presented.get().isEmpty() && (!keyChanged.get() || replaceConfirmed.get()),
                busy, keyAccepted, host, presented, keyChanged, replaceConfirmed);
    }

    /** Logs in accepting exactly the key shown and pins it (replacing a changed one only when confirmed). */
    public void accept() {
        if (!canAccept().get()) {
            return;
        }
        HostEntry h = host.get();
        String fp = presented.get();
        boolean replace = keyChanged.get();
        keyError.set("");
        busy.set(true);
        executor.submit("trust " + h.name(), () -> p.hosts().trust(h.name(), fp, replace), trusted -> {
            busy.set(false);
            host.set(trusted);
            pinned.set(trusted.hostKeyFingerprint());
            keyChanged.set(false);
            keyAccepted.set(true);
            keyMessage.set("Pinned " + trusted.hostKeyFingerprint() + "; the login as " + trusted.user() + " works.");
        }, t -> {
            busy.set(false);
            if (t instanceof HostKeyNotTrustedException n && n.presented() != null) {
                keyError.set("WARNING: between showing the key and logging in, the host presented another key.\n"
                        + "Shown:     " + fp + "\nPresented: " + n.presented()
                        + "\nNothing was sent and nothing pinned. Check the host before trying again.");
            } else {
                keyError.set(Dialogs.message(t));
            }
        });
    }

    // ------------------------------------------------------------ (3) preflight

    PreflightSpec preflightSpec() {
        return new PreflightSpec(port("media port", mediaPort), port("API port", apiPort), bindAddress.get().strip(),
                host.get().address(), PreflightSpec.DEFAULT_DISK_BYTES);
    }

    private static int port(String what, StringProperty p) {
        try {
            return Integer.parseInt(p.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number from 1 to 65535, not " + p.get());
        }
    }

    /** Runs the checklist on the host with the node's ports; Next stays off while a line FAILs. */
    public void runPreflight() {
        PreflightSpec spec;
        try {
            spec = preflightSpec();
            nodeSpec();
        } catch (IllegalArgumentException e) {
            preflightMessage.set(e.getMessage());
            return;
        }
        String n = host.get().name();
        checks.clear();
        preflightRan.set(false);
        preflightMessage.set("Running the preflight on " + n + "…");
        busy.set(true);
        executor.submit("preflight " + n, () -> p.hosts().preflight(n, spec, p.preflight()), result -> {
            busy.set(false);
            checks.setAll(result);
            preflightRan.set(true);
            long fail = result.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
            long warn = result.stream().filter(c -> c.verdict() == Verdict.WARN).count();
            preflightMessage.set(fail > 0 ? fail + " FAIL: fix them on the host (see what to do), then Re-run."
                    : warn > 0 ? "No FAIL; " + warn + " WARN: read them, the install can go on."
                    : "Every check is OK.");
        }, t -> {
            busy.set(false);
            preflightMessage.set(Dialogs.message(t));
        });
    }

    public long failCount() {
        return checks.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
    }

    // ------------------------------------------------------------ (4) install

    NodeSpec nodeSpec() {
        HostEntry h = host.get();
        String bind = bindAddress.get().strip();
        return new NodeSpec(h.name(), bind, port("media port", mediaPort), port("client port", httpPort),
                port("API port", apiPort), bind, "0.0.0.0".equals(bind) || "::".equals(bind) ? h.address() : bind);
    }

    /** Uploads and installs the bundle; progress and stages as they come; registers the node. */
    public void install() {
        NodeSpec spec;
        Path b;
        Path k;
        try {
            spec = nodeSpec();
            b = Path.of(bundle.get().strip()).toAbsolutePath();
            k = Path.of(siteKey.get().strip()).toAbsolutePath();
            if (bundle.get().isBlank() || !Files.isRegularFile(b)) {
                throw new IllegalArgumentException("no bundle file at " + b + ": choose sfu-server-VERSION-linux-x64.tar.gz");
            }
            if (siteKey.get().isBlank() || !Files.isRegularFile(k)) {
                throw new IllegalArgumentException("no site public key at " + k + ": choose the site's release key (PEM)");
            }
        } catch (IllegalArgumentException e) {
            installError.set(e.getMessage());
            return;
        }
        String n = host.get().name();
        installError.set("");
        stages.clear();
        uploadProgress.set(0);
        uploadText.set("");
        installing.set(true);
        busy.set(true);
        AtomicLong sent = new AtomicLong();
        AtomicLong total = new AtomicLong(1);
        AtomicBoolean posted = new AtomicBoolean();
        Installer.Progress progress = new Installer.Progress() {
            @Override
            public void stage(String what) {
                fx.accept(() -> stages.add(what));
            }

            @Override
            public void uploaded(long bytes, long all) {
                sent.set(bytes);
                total.set(Math.max(1, all));
                // many callbacks a second: at most one update waits for the FX thread at a time
                if (posted.compareAndSet(false, true)) {
                    fx.accept(() -> {
                        posted.set(false);
                        uploadProgress.set((double) sent.get() / total.get());
                        uploadText.set(sent.get() / 1_048_576 + " of " + total.get() / 1_048_576 + " MiB uploaded");
                    });
                }
            }
        };
        executor.submit("install " + n, () -> {
            p.rememberInstallFiles(b.toString(), k.toString());
            // as sfu-console install: the host's desired config with the wizard's choices over it,
            // recorded as written so drift knows the file and config set edits survive
            ConfigService configs = p.configs();
            NodeConfig config = configs.forInstall(n, spec);
            Installer.Result installed;
            try (HostSession s = p.hosts().connect(n)) {
                installed = p.installer().install(s, b, k, spec, config.toml(), progress);
            }
            configs.recordInstalled(n, config);
            return installed;
        }, r -> {
            busy.set(false);
            installing.set(false);
            p.core().inventoryChanged();
            if (r.uploaded()) {
                uploadProgress.set(1);
            }
            doneText.set("sfu-server " + r.version() + " runs on " + n + " and is in the fleet as node " + r.node().name()
                    + " (" + r.node().apiUrl() + ")." + (r.uploaded() ? "" : " It was already installed: nothing uploaded.")
                    + (r.mode() == Installer.StartMode.SUPERVISED
                            ? "\nNo systemd on the host: it was started supervised with a PID file ("
                                    + host.get().prefix() + "/run/sfu-server.pid) and is NOT restarted after a crash "
                                    + "or a reboot."
                            : "\nsfu-server.service is enabled and started."));
            step.set(Step.DONE);
        }, t -> {
            busy.set(false);
            installing.set(false);
            installError.set(Dialogs.message(t));
        });
    }

    // ------------------------------------------------------------ navigation

    /** Whether Next does something now. */
    public BooleanBinding canNext() {
        return Bindings.createBooleanBinding(() -> {
            if (busy.get()) {
                return false;
            }
            return switch (step.get()) {
                case CONNECTION -> true;  // Next validates, and says what is wrong
                case HOST_KEY -> keyAccepted.get();
                case PREFLIGHT -> preflightRan.get() && failCount() == 0;
                case INSTALL, DONE -> false;
            };
        }, busy, step, keyAccepted, preflightRan, checks);
    }

    public void next() {
        if (!canNext().get()) {
            return;
        }
        switch (step.get()) {
            case CONNECTION -> connect();
            // the preflight runs when the operator has looked at the node's ports, not before: with the
            // defaults it would open a test listener on 0.0.0.0:8443 of a host that may use them otherwise
            case HOST_KEY -> step.set(Step.PREFLIGHT);
            case PREFLIGHT -> step.set(Step.INSTALL);
            default -> {
            }
        }
    }

    /** Cancel is refused while an install runs: it ends on its own, installed or rolled back. */
    public boolean canCancel() {
        return !installing.get();
    }

    public ObjectProperty<Step> stepProperty() { return step; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty nameProperty() { return name; }
    public StringProperty addressProperty() { return address; }
    public StringProperty sshPortProperty() { return sshPort; }
    public StringProperty userProperty() { return user; }
    public ObjectProperty<HostAuth> authProperty() { return auth; }
    public StringProperty keyFileProperty() { return keyFile; }
    public StringProperty secretProperty() { return secret; }
    public StringProperty prefixProperty() { return prefix; }
    public StringProperty connectionErrorProperty() { return connectionError; }
    public ObjectProperty<HostEntry> hostProperty() { return host; }
    public StringProperty presentedProperty() { return presented; }
    public StringProperty pinnedProperty() { return pinned; }
    public BooleanProperty keyChangedProperty() { return keyChanged; }
    public BooleanProperty replaceConfirmedProperty() { return replaceConfirmed; }
    public BooleanProperty keyAcceptedProperty() { return keyAccepted; }
    public StringProperty keyMessageProperty() { return keyMessage; }
    public StringProperty keyErrorProperty() { return keyError; }
    public StringProperty mediaPortProperty() { return mediaPort; }
    public StringProperty httpPortProperty() { return httpPort; }
    public StringProperty apiPortProperty() { return apiPort; }
    public StringProperty bindAddressProperty() { return bindAddress; }
    public ObservableList<Check> checks() { return checks; }
    public BooleanProperty preflightRanProperty() { return preflightRan; }
    public StringProperty preflightMessageProperty() { return preflightMessage; }
    public StringProperty bundleProperty() { return bundle; }
    public StringProperty siteKeyProperty() { return siteKey; }
    public DoubleProperty uploadProgressProperty() { return uploadProgress; }
    public StringProperty uploadTextProperty() { return uploadText; }
    public ObservableList<String> stages() { return stages; }
    public StringProperty installErrorProperty() { return installError; }
    public BooleanProperty installingProperty() { return installing; }
    public StringProperty doneTextProperty() { return doneText; }
}
