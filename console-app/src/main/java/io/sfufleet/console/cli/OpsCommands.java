package io.sfufleet.console.cli;

import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.logs.LogTail;
import io.sfufleet.console.provision.support.SupportBundle;
import io.sfufleet.console.provision.uninstall.Uninstaller;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Day-two commands on a provisioned host: its log, a support bundle, taking the node off it. */
final class OpsCommands {
    private OpsCommands() {
    }

    /** {@code logs HOST [-n N] [-f]}. */
    @Command(name = "logs", description = "Show the last lines of a host's node log (the journal under systemd, else "
            + "PREFIX/log/sfu-server.log); with -f, keep showing new ones until interrupted.")
    static final class Logs implements Callable<Integer> {
        @ParentCommand
        ConsoleCli root;

        @Parameters(paramLabel = "HOST")
        String host;

        @Option(names = {"-n", "--lines"}, defaultValue = "200", description = "how many lines (default ${DEFAULT-VALUE})")
        int lines;

        @Option(names = {"-f", "--follow"}, description = "keep following new lines")
        boolean follow;

        @Override
        public Integer call() {
            return root.withStore(s -> {
                var service = HostCommands.service(s, root.clock);
                try (HostSession session = service.connect(host);
                        LogTail.Tail tail = LogTail.open(session, lines, follow)) {
                    tail.forEach(line -> {
                        root.out.println(line);
                        if (follow) {
                            root.out.flush();
                        }
                    });
                }
                return ConsoleCli.EXIT_OK;
            });
        }
    }

    /** {@code support-bundle HOST -o FILE}. */
    @Command(name = "support-bundle", description = "Collect a zip for support: config, versions, recent log, preflight, "
            + "the node's API state and host facts, with every secret removed (audited).")
    static final class Support implements Callable<Integer> {
        @ParentCommand
        ConsoleCli root;

        @Parameters(paramLabel = "HOST")
        String host;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "the zip to write")
        Path output;

        @Override
        public Integer call() {
            return root.withStore(s -> {
                var service = HostCommands.service(s, root.clock);
                try (HostSession session = service.connect(host)) {
                    SupportBundle.Result r = new SupportBundle(s.inventory(), s.audit(), root.http, root.clock)
                            .write(session, output.toAbsolutePath());
                    root.out.println("wrote " + r.file() + " (" + r.entries().size() + " entries)");
                    r.failed().forEach((k, v) -> root.out.println("  not collected: " + k + ": " + v));
                    return ConsoleCli.EXIT_OK;
                }
            });
        }
    }

    /** {@code uninstall HOST [--keep-logs] [--yes]}. */
    @Command(name = "uninstall", description = "Stop the host's node, remove its releases, config and state (and logs "
            + "unless --keep-logs) and drop it from the fleet; the host stays in the inventory (audited, safe to re-run).")
    static final class Uninstall implements Callable<Integer> {
        @ParentCommand
        ConsoleCli root;

        @Parameters(paramLabel = "HOST")
        String host;

        @Option(names = "--keep-logs", description = "leave PREFIX/log on the host")
        boolean keepLogs;

        @Option(names = "--yes", description = "confirm: the node stops and its files are deleted")
        boolean yes;

        @Override
        public Integer call() {
            return root.withStore(s -> {
                var service = HostCommands.service(s, root.clock);
                var entry = service.require(host);
                if (!yes) {
                    throw new IllegalArgumentException("uninstall stops the node on " + host + " and deletes "
                            + entry.prefix() + "/{releases,current,previous,etc,run" + (keepLogs ? "" : ",log")
                            + "}; add --yes to do it");
                }
                try (HostSession session = service.connect(host)) {
                    Uninstaller.Result r = new Uninstaller(s.inventory(), s.audit()).uninstall(session, keepLogs);
                    if (r.nothingInstalled()) {
                        root.out.println(host + ": nothing installed under " + entry.prefix() + "; nothing to do");
                    } else {
                        root.out.println(host + ": " + (r.stopped() ? "node stopped; " : "no node was running; ")
                                + "removed " + String.join(", ", r.removed()) + (r.keptLogs() ? "; logs kept" : "")
                                + (r.removedFromInventory() ? "; node " + host + " removed from the fleet" : ""));
                    }
                    return ConsoleCli.EXIT_OK;
                }
            });
        }
    }
}
