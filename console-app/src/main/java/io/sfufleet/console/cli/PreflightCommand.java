package io.sfufleet.console.cli;

import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.Preflight;
import io.sfufleet.console.provision.PreflightSpec;
import io.sfufleet.console.provision.Verdict;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code preflight HOST}: the checklist before an install; exit 1 when a line fails. */
@Command(name = "preflight", description = "Check a host before an install: one verdict per line, with what to do.")
final class PreflightCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleCli root;

    @Parameters(paramLabel = "HOST")
    String host;

    @Option(names = "--media-port", defaultValue = "8443",
            description = "the node's media port, UDP and TCP (default ${DEFAULT-VALUE})")
    int media;

    @Option(names = "--api-port", defaultValue = "8045", description = "the node's admin API port (default ${DEFAULT-VALUE})")
    int api;

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "the node's bind address on the host (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--reach", paramLabel = "ADDRESS",
            description = "where this console reaches the media port (default: the host's address)")
    String reach;

    @Option(names = "--json", description = "print as JSON")
    boolean asJson;

    @Override
    public Integer call() {
        return root.withStore(s -> {
            var service = HostCommands.service(s, root.clock);
            var entry = service.require(host);
            PreflightSpec spec = new PreflightSpec(media, api, bind, reach == null ? entry.address() : reach,
                    PreflightSpec.DEFAULT_DISK_BYTES);
            List<Check> checks = service.preflight(host, spec, new Preflight(root.clock));
            if (asJson) {
                root.printJson(checks);
            } else {
                for (Check c : checks) {
                    root.out.printf("%-4s  %-32s %s%n", c.verdict(), c.name(), c.found());
                    if (!c.todo().isEmpty()) {
                        root.out.printf("      %-32s -> %s%n", "", c.todo());
                    }
                }
            }
            return checks.stream().anyMatch(c -> c.verdict() == Verdict.FAIL) ? ConsoleCli.EXIT_API : ConsoleCli.EXIT_OK;
        });
    }
}
