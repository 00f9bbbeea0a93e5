package io.sfufleet.sfu;

import io.sfufleet.sfu.api.HangupSignal;
import io.sfufleet.sfu.config.ConfigException;
import io.sfufleet.sfu.config.ConfigSource;
import io.sfufleet.sfu.config.SfuConfig;
import io.sfufleet.sfu.net.BindFailedException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Command line entry of a node: {@code sfu-server [--config FILE] [--print-config]}. A bad
 * configuration stops the start with every problem listed (exit code 2); a port that cannot be bound
 * (taken by another process, say) stops it with one line naming it (exit code 1).
 */
public final class Main {
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Netty's default leak detector records a stack trace for one buffer in 128: with one buffer
        // per datagram sent, a node forwarding a few thousand packets a second built about a hundred
        // stack traces a second (seen in JFR's exception statistics during a steady load run). The
        // tests run it in paranoid mode, so leaks are caught there; an operator can still turn it on
        // with SFU_JAVA_OPTS=-Dio.netty.leakDetection.level=simple.
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path configFile = System.getenv("SFU_CONFIG") == null ? null : Path.of(System.getenv("SFU_CONFIG"));
        boolean printConfig = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file name");
                        return 2;
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--print-config" -> printConfig = true;
                case "--help", "-h" -> {
                    out.println("""
                            usage: sfu-server [--config FILE] [--print-config]
                              --config FILE    TOML configuration (default: $SFU_CONFIG, else built-in defaults)
                              --print-config   print the effective configuration (secrets masked) and exit
                            Every key can be overridden with SFU_<SECTION>_<KEY>, e.g. SFU_MEDIA_UDP_PORT=8443.""");
                    return 0;
                }
                default -> {
                    err.println("unknown argument: " + args[i] + " (try --help)");
                    return 2;
                }
            }
        }
        ConfigSource source = new ConfigSource(configFile, System.getenv());
        SfuConfig config;
        try {
            config = source.load();
        } catch (ConfigException e) {
            err.println("sfu-server: invalid configuration, not starting:");
            err.println(e.getMessage());
            return 2;
        }
        if (printConfig) {
            out.print(config.toToml());
            return 0;
        }
        // kill -HUP rereads the configuration file, like the admin API's reload. Installed before the
        // start, so a SIGHUP while starting is ignored instead of stopping the JVM.
        AtomicReference<SfuNode> running = new AtomicReference<>();
        HangupSignal.install(() -> {
            SfuNode n = running.get();
            if (n == null) {
                err.println("sfu-server: SIGHUP while starting; ignored");
                return;
            }
            n.reload().whenComplete((result, failure) -> {
                if (failure != null) {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    err.println("sfu-server: reload on SIGHUP failed: " + cause.getMessage());
                }
            });
        });
        SfuNode node;
        try {
            node = SfuNode.start(config, source);
        } catch (BindFailedException e) {
            // One line that names the listener, address, port and key: it is what a console installing
            // the node shows from the log's tail, and a stack trace would push it out of that tail.
            err.println("sfu-server: cannot start: " + e.getMessage());
            return 1;
        }
        running.set(node);
        out.println("sfu-server " + Version.get() + " running; browser client: " + node.clientUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "sfu-shutdown"));
        stopped.await();
        return 0;
    }
}
