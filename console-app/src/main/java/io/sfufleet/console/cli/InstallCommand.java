package io.sfufleet.console.cli;

import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code install HOST BUNDLE}: install or re-install a node from the offline bundle, then register it. */
@Command(name = "install", description = "Install a node on a trusted host from the signed offline bundle and add it "
        + "to the fleet (safe to re-run).")
final class InstallCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleCli root;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Parameters(index = "1", paramLabel = "BUNDLE", description = "sfu-server-VERSION-linux-x64.tar.gz")
    Path bundle;

    @Option(names = "--site-key", required = true, paramLabel = "FILE",
            description = "the site's release-signing public key (PEM) the bundle must be signed with")
    Path siteKey;

    @Option(names = "--media-port", defaultValue = "8443", description = "UDP and TCP media port (default ${DEFAULT-VALUE})")
    int media;

    @Option(names = "--http-port", defaultValue = "8080", description = "client port (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--api-port", defaultValue = "8045", description = "admin API port (default ${DEFAULT-VALUE})")
    int api;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "bind address on the host (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--public-address", paramLabel = "IP",
            description = "the address clients and this console reach the node at (default: the host's address)")
    String publicAddress;

    @Option(names = "--ready-timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "how long to wait for /readyz (default ${DEFAULT-VALUE})")
    int readySeconds;

    @Override
    public Integer call() {
        return root.withStore(s -> {
            var service = HostCommands.service(s, root.clock);
            var entry = service.require(host);
            NodeSpec spec = new NodeSpec(host, bind, media, httpPort, api, bind,
                    publicAddress != null ? publicAddress : entry.address());
            Installer installer = new Installer(s.inventory(), s.audit(), root.http, Duration.ofSeconds(readySeconds));
            // the host's desired config (config set) with this command's choices over it
            var configs = ConfigCommands.service(s, root, Duration.ofSeconds(readySeconds));
            NodeConfig config = configs.forInstall(host, spec);
            try (HostSession session = service.connect(host)) {
                Installer.Result r = installer.install(session, bundle.toAbsolutePath(), siteKey.toAbsolutePath(), spec,
                        config.toml(), new Installer.Progress() {
                            private long lastTenth = -1;

                            @Override
                            public void stage(String what) {
                                root.out.println(host + ": " + what);
                                root.out.flush();
                            }

                            @Override
                            public void uploaded(long bytes, long total) {
                                long tenth = total == 0 ? 10 : bytes * 10 / total;
                                if (tenth != lastTenth) {
                                    lastTenth = tenth;
                                    root.out.println(host + ": upload " + tenth * 10 + "% (" + bytes / 1_048_576 + " of "
                                            + total / 1_048_576 + " MiB)");
                                    root.out.flush();
                                }
                            }
                        });
                configs.recordInstalled(host, config);
                root.out.println(host + ": " + r.version() + " ready at " + r.node().apiUrl() + ", registered as node "
                        + r.node().name() + (r.uploaded() ? "" : " (already installed: nothing uploaded)")
                        + (r.mode() == Installer.StartMode.SUPERVISED
                                ? "; no systemd on the host: started supervised with a PID file (" + entry.prefix()
                                        + "/run/sfu-server.pid), NOT restarted after a crash or a reboot"
                                : "; sfu-server.service enabled"));
                return ConsoleCli.EXIT_OK;
            }
        });
    }
}
