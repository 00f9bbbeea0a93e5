package io.sfufleet.demo;

import io.sfufleet.console.alerts.AlertRulesStore;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.store.ConsoleDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javafx.application.Application;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sfu-demo}: starts a node (its own process, loopback), joins synthetic participants to
 * three calls, and opens the console on them; without a display (or with {@code --headless}) the
 * console's CLI shows the same fleet table live. Everything it starts it stops on exit; its
 * database and the node's log live in a temporary folder that is deleted afterwards.
 */
@Command(name = "sfu-demo", mixinStandardHelpOptions = true,
        description = "A local node, synthetic participants in three calls, and the console watching them live.")
public final class Demo implements Callable<Integer> {
    static final String NODE_NAME = "local-demo";
    static final String PASSPHRASE = "demo";
    /** The clients' crypto and ICE libraries log every start at INFO; the demo says what matters on stdout. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.List.of(
            java.util.logging.Logger.getLogger(""));

    @Option(names = "--headless", description = "the CLI's live table instead of the window (default when there is no display)")
    boolean headless;

    @Option(names = "--duration", paramLabel = "DURATION", description = "stop after this long, e.g. 5m (default: when the window closes, or Ctrl-C)")
    String duration;

    @Option(names = "--screenshots", paramLabel = "DIR", description = "save the fleet, node, call and alerts views as PNG into DIR, then stop")
    Path screenshots;

    public static void main(String[] args) {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Duration limit = duration == null ? null : io.sfufleet.console.actions.Durations.parse(duration);
        boolean gui = !headless && (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null);
        if (screenshots != null && !gui) {
            System.err.println("sfu-demo: --screenshots needs a display (run it under xvfb-run)");
            return 2;
        }
        Path dir = Files.createTempDirectory("sfu-demo-");
        SecureRandom random = new SecureRandom();
        String apiToken = secret(random);
        String joinSecret = secret(random);
        System.out.println("sfu-demo: starting a node (its log: " + dir.resolve("node.log") + ")");
        try (LocalNode node = LocalNode.start(dir, apiToken, joinSecret, Duration.ofSeconds(60));
             DemoCalls calls = new DemoCalls(node.clientUrl(), joinSecret)) {
            System.out.println("sfu-demo: node up, pid " + node.pid() + ", admin API " + node.apiUrl()
                    + ", media UDP 127.0.0.1:" + node.mediaPort);
            int joined = calls.joinAll();
            System.out.println("sfu-demo: " + joined + " participants in 3 calls (standup, design-review, all-hands)");
            System.out.println("sfu-demo: join from a browser too: " + node.clientUrl() + "/?call=standup&name=You");
            Path db = dir.resolve("console.db");
            try (ConsoleDatabase database = ConsoleDatabase.open(db)) {
                Inventory.open(database, PASSPHRASE.toCharArray(), Clock.systemUTC())
                        .add(NODE_NAME, node.apiUrl(), node.apiToken);
            }
            return gui ? window(db, limit) : watch(db, limit);
        } finally {
            deleteTree(dir);
        }
    }

    private int window(Path db, Duration limit) throws InterruptedException {
        ConsoleDatabase database = ConsoleDatabase.open(db);
        Inventory inventory = Inventory.open(database, PASSPHRASE.toCharArray(), Clock.systemUTC());
        try (ConsoleCore core = new ConsoleCore(database, inventory, System.getProperty("user.name"),
                Clock.systemUTC(), MonitorSettings.DEFAULTS, AlertRulesStore.load(database)).start()) {
            DemoWindow.core = core;
            DemoWindow.nodeName = NODE_NAME;
            DemoWindow.screenshots = screenshots;
            Thread fx = Thread.ofPlatform().name("demo-fx").start(() -> Application.launch(DemoWindow.class));
            System.out.println("sfu-demo: the console is open; close its window to stop the demo");
            if (limit == null) {
                DemoWindow.CLOSED.await();
            } else {
                DemoWindow.CLOSED.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                javafx.application.Platform.exit();
            }
            fx.join(10_000);
        }
        return 0;
    }

    private int watch(Path db, Duration limit) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(ConsoleCli.PASSPHRASE_ENV, PASSPHRASE);
        okhttp3.OkHttpClient http = NodeClient.newHttpClient();
        try {
            String[] args = limit == null
                    ? new String[] {"--db", db.toString(), "watch"}
                    : new String[] {"--db", db.toString(), "watch", "--count", Long.toString(Math.max(1, limit.toSeconds()))};
            return new ConsoleCli(env, System.getProperty("user.name"), Clock.systemUTC(), http)
                    .run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                            new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static String secret(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
