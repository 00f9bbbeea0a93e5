package io.sfufleet.console.cli;

import io.sfufleet.console.actions.NodeActions;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.Installer;
import io.sfufleet.console.provision.config.ConfigDiff;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.ConfigStore;
import io.sfufleet.console.provision.config.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code config show|set|diff|push|drift}: the node config of provisioned hosts. */
@Command(name = "config", description = "Node configs of provisioned hosts: edit, diff, push, drift.",
        subcommands = CommandLine.HelpCommand.class)
final class ConfigCommands {
    @ParentCommand
    ConsoleCli root;

    @Option(names = "--ready-timeout", defaultValue = "180", paramLabel = "SECONDS", scope = CommandLine.ScopeType.INHERIT,
            description = "how long a restarted node may take to answer /readyz (default ${DEFAULT-VALUE})")
    int readySeconds;

    static ConfigService service(ConsoleCli.Store s, ConsoleCli root, Duration readyTimeout) {
        return new ConfigService(HostCommands.service(s, root.clock), new ConfigStore(s.database(), root.clock),
                s.inventory(), s.audit(), new Installer(s.inventory(), s.audit(), root.http, readyTimeout),
                new NodeActions(s.audit(), root.clock), root.http);
    }

    private ConfigService service(ConsoleCli.Store s) {
        return service(s, root, Duration.ofSeconds(readySeconds));
    }

    @Command(name = "show", description = "Every key of the host's desired config: value, default, allowed values, "
            + "and whether a change is applied by a reload or needs a restart.")
    int show(@Parameters(index = "0", paramLabel = "HOST") String host) {
        return root.withStore(s -> {
            NodeConfig c = service(s).desired(host);
            var t = new Table("KEY", "VALUE", "DEFAULT", "WHEN CHANGED", "ALLOWED");
            for (NodeConfig.Entry e : c.entries()) {
                t.row(e.key().key(), e.value(), e.isDefault() ? "(default)" : e.defaultValue(),
                        e.hot() ? "reload" : "restart", e.allowed());
            }
            t.print(root.out);
            root.out.println("Secrets (api.token, auth.join_token_secret, media.turn_secret) are kept in "
                    + "<prefix>/etc/sfu-server.env on the host, never in sfu.toml.");
            return ConsoleCli.EXIT_OK;
        });
    }

    @Command(name = "set", description = "Change keys of the host's desired config (checked with the server's rules; "
            + "a refused value stores nothing). Push it with config push.")
    int set(@Parameters(index = "0", paramLabel = "HOST") String host,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE",
                    description = "e.g. limits.max_calls=500 media.stun_servers=stun1:3478,stun2:3478") List<String> kv) {
        return root.withStore(s -> {
            NodeConfig before = service(s).desired(host);
            NodeConfig after = service(s).set(host, kv);
            ConfigDiff d = ConfigDiff.between(before.toml(), after.toml());
            d.lines().forEach(l -> root.out.println(host + ": " + l));
            root.out.println(host + ": stored; push it with: sfu-console config push " + host);
            return ConsoleCli.EXIT_OK;
        });
    }

    @Command(name = "diff", description = "The host's sfu.toml (read over SSH) against its desired config, key by key.")
    int diff(@Parameters(index = "0", paramLabel = "HOST") String host) {
        return root.withStore(s -> {
            ConfigDiff d = service(s).diff(host);
            d.lines().forEach(l -> root.out.println(host + ": " + l));
            if (!d.isEmpty()) {
                root.out.println(host + ": a push would " + (d.needsRestart() ? "restart the node" : "reload the node"));
            }
            return ConsoleCli.EXIT_OK;
        });
    }

    @Command(name = "push", description = "Write the desired config to hosts in parallel, then reload (every change "
            + "hot) or restart each node; a node that refuses it or never gets ready gets its previous file back. "
            + "Exit status 1 when a host failed.")
    int push(@Parameters(arity = "0..*", paramLabel = "HOST") List<String> names,
            @Option(names = "--all", description = "every host") boolean all,
            @Option(names = "--parallel", defaultValue = "4", paramLabel = "N",
                    description = "hosts at once (default ${DEFAULT-VALUE})") int parallel) {
        if (all == (names != null && !names.isEmpty())) {
            throw new IllegalArgumentException("give HOST names or --all");
        }
        return root.withStore(s -> {
            ConfigService service = service(s);
            List<String> targets = all ? HostCommands.service(s, root.clock).list().stream().map(HostEntry::name).toList()
                    : names;
            List<ConfigService.PushResult> results = service.push(targets, parallel, (host, stage) -> {
                synchronized (root.out) {
                    root.out.println(host + ": " + stage);
                    root.out.flush();
                }
            });
            var t = new Table("HOST", "RESULT", "TIME", "CHANGES", "MESSAGE");
            var details = new ArrayList<String>();
            boolean failed = false;
            for (ConfigService.PushResult r : results) {
                failed |= r.outcome() == ConfigService.Outcome.FAILED;
                t.row(r.host(), r.outcome().name().toLowerCase(java.util.Locale.ROOT), r.millis() + " ms",
                        r.diff() == null ? "-" : r.diff().changes().size(), r.message());
                if (r.diff() != null && !r.diff().isEmpty()) {
                    r.diff().lines().forEach(l -> details.add(r.host() + ": " + l));
                }
            }
            details.forEach(root.out::println);
            t.print(root.out);
            return failed ? ConsoleCli.EXIT_API : ConsoleCli.EXIT_OK;
        });
    }

    @Command(name = "drift", description = "Find hosts whose sfu.toml changed outside the console (all hosts when none "
            + "is named), with the diff. Exit status 1 when drift is found or a host could not be checked.")
    int drift(@Parameters(arity = "0..*", paramLabel = "HOST") List<String> names) {
        return root.withStore(s -> {
            List<ConfigService.DriftReport> reports = service(s).drift(names == null ? List.of() : names);
            boolean drifted = reports.stream().anyMatch(r -> r.status() == ConfigService.DriftStatus.UNREACHABLE);
            for (ConfigService.DriftReport r : reports) {
                String status = r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                root.out.println(r.host() + ": " + status + (r.message().isEmpty() ? "" : " (" + r.message() + ")"));
                if (r.status() == ConfigService.DriftStatus.DRIFTED) {
                    drifted = true;
                    r.diff().changes().forEach(c -> root.out.println("  " + c.key() + ": console wrote "
                            + (c.after() == null ? "nothing" : c.after()) + ", host has "
                            + (c.before() == null ? "nothing" : c.before())));
                    if (r.diff().hostUnreadable() != null) {
                        root.out.println("  the host's file is " + r.diff().hostUnreadable());
                    }
                    root.out.println("  put the console's version back with: sfu-console config push " + r.host());
                }
            }
            return drifted ? ConsoleCli.EXIT_API : ConsoleCli.EXIT_OK;
        });
    }
}
