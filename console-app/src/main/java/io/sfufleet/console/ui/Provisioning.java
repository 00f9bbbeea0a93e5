package io.sfufleet.console.ui;

import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.Preflight;
import io.sfufleet.console.provision.SshConnector;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.ConfigStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The provisioning services the Hosts screen and the wizard share, built on the console's core: the
 * same classes the CLI uses, so the GUI's actions are audited the same way.
 */
public record Provisioning(ConsoleCore core, HostService hosts, SshConnector ssh, Preflight preflight,
        Installer installer) {
    private static final String LAST_BUNDLE = "ui.provision.last-bundle";
    private static final String LAST_SITE_KEY = "ui.provision.last-site-key";

    public static Provisioning of(ConsoleCore core, Duration readyTimeout) {
        SshConnector ssh = SshConnector.withDefaults();
        HostService hosts = new HostService(new HostStore(core.database(), core.inventory(), core.clock()), ssh,
                core.audit());
        return new Provisioning(core, hosts, ssh, new Preflight(core.clock()),
                new Installer(core.inventory(), core.audit(), core.http(), readyTimeout));
    }

    /**
     * The node configs of the hosts, as sfu-console config builds them (stateless over the database,
     * so a new one per use is the same service).
     */
    public ConfigService configs() {
        return new ConfigService(hosts, new ConfigStore(core.database(), core.clock()), core.inventory(), core.audit(),
                installer, new NodeActions(core.audit(), core.clock()), core.http());
    }

    /** The bundle and site key of the last install from this console, offered again (empty if none). */
    public Optional<String> lastBundle() {
        return setting(LAST_BUNDLE);
    }

    public Optional<String> lastSiteKey() {
        return setting(LAST_SITE_KEY);
    }

    public void rememberInstallFiles(String bundle, String siteKey) {
        // the database's one connection is shared with the workers: its users lock it, as the stores do
        synchronized (core.database()) {
            core.database().putMeta(LAST_BUNDLE, bundle.getBytes(StandardCharsets.UTF_8));
            core.database().putMeta(LAST_SITE_KEY, siteKey.getBytes(StandardCharsets.UTF_8));
        }
    }

    private Optional<String> setting(String key) {
        synchronized (core.database()) {
            return core.database().meta(key).map(b -> new String(b, StandardCharsets.UTF_8));
        }
    }
}
