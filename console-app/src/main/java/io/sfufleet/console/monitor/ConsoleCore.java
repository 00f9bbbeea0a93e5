package io.sfufleet.console.monitor;

import io.sfufleet.console.actions.InventoryActions;
import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.alerts.AlertRulesEngine;
import io.sfufleet.console.alerts.AlertService;
import io.sfufleet.console.alerts.AlertStore;
import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.history.MetricsHistory;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.store.ConsoleDatabase;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;

/**
 * The console's services wired together for a long-running front end (the GUI, {@code sfu-console
 * watch}): inventory, audit, actions, the fleet monitor, history and alerts, with one timer that
 * evaluates alerts every second and flushes the history every few seconds. Knows nothing of JavaFX.
 */
public final class ConsoleCore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsoleCore.class.getName());

    private final ConsoleDatabase db;
    private final Inventory inventory;
    private final AuditLog audit;
    private final NodeActions actions;
    private final InventoryActions inventoryActions;
    private final MetricsHistory history;
    private final AlertService alerts;
    private final FleetMonitor fleet;
    private final OkHttpClient http;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;

    public ConsoleCore(ConsoleDatabase db, Inventory inventory, String user, Clock clock, MonitorSettings settings,
                       AlertRules rules) {
        this.db = db;
        this.inventory = inventory;
        this.clock = clock;
        // nodes with certificates from the site CA answer over HTTPS: trust it besides the system's CAs
        this.http = io.sfufleet.console.node.SiteTrust.trusting(NodeClient.newHttpClient(),
                new io.sfufleet.console.pki.CertStore(db).roots());
        this.audit = new AuditLog(db, clock, user);
        this.actions = new NodeActions(audit, clock);
        this.inventoryActions = new InventoryActions(inventory, audit);
        this.history = new MetricsHistory(db, clock);
        this.alerts = new AlertService(new AlertStore(db), new AlertRulesEngine(rules));
        this.alerts.addSource(io.sfufleet.console.pki.CertExpiry.of(db));
        this.timer = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("console-timer-", 0).factory());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("console-worker-", 0).factory());
        this.fleet = new FleetMonitor(http, timer, workers, clock, settings, history::add);
    }

    /** Starts watching the inventory's nodes and the periodic jobs. */
    public ConsoleCore start() {
        fleet.sync(inventory.list());
        timer.scheduleAtFixedRate(guarded("alerts", () -> alerts.evaluate(fleet.statuses(), clock.millis())),
                1, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(guarded("history", history::flush), 5, 5, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(guarded("prune", history::prune), 1, 60, TimeUnit.MINUTES);
        return this;
    }

    /** Re-reads the inventory after an add, edit or remove. */
    public void inventoryChanged() {
        fleet.sync(inventory.list());
    }

    private static Runnable guarded(String what, Runnable r) {
        // an exception would cancel the periodic job for good; log it and keep going
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "periodic " + what + " job failed", e);
            }
        };
    }

    public Inventory inventory() {
        return inventory;
    }

    /** The console database, for services a front end adds (provisioning's hosts). */
    public ConsoleDatabase database() {
        return db;
    }

    /** The console's one HTTP client (installs wait for a node's /readyz with it). */
    public OkHttpClient http() {
        return http;
    }

    public AuditLog audit() {
        return audit;
    }

    public NodeActions actions() {
        return actions;
    }

    public InventoryActions inventoryActions() {
        return inventoryActions;
    }

    public MetricsHistory history() {
        return history;
    }

    public AlertService alerts() {
        return alerts;
    }

    public FleetMonitor fleet() {
        return fleet;
    }

    public Clock clock() {
        return clock;
    }

    /** For blocking work off the UI thread (virtual threads). */
    public ExecutorService workers() {
        return workers;
    }

    @Override
    public void close() {
        fleet.close();
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            // a periodic job still running would otherwise meet a closed database below
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            history.flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "last history flush failed", e);
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        db.close();
    }
}
