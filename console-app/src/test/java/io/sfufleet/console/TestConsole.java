package io.sfufleet.console;

import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/** A console core on a fresh database, the way the GUI and {@code sfu-console watch} build it. */
public final class TestConsole {
    public static final String PASSPHRASE = "test console passphrase";

    private TestConsole() {
    }

    /** A core (not started) over a new database in {@code dir}. */
    public static ConsoleCore core(Path dir, MonitorSettings settings, AlertRules rules) {
        ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("console.db"));
        Inventory inv = Inventory.open(db, PASSPHRASE.toCharArray(), Clock.systemUTC());
        return new ConsoleCore(db, inv, "tester", Clock.systemUTC(), settings, rules);
    }

    public static void addNode(ConsoleCore core, String name, SfuNode node) {
        core.inventory().add(name, "http://127.0.0.1:" + node.adminPort(), TestNodes.API_TOKEN);
        core.inventoryChanged();
    }

    /** A real participant: signalling, ICE, DTLS and SRTP, sending audio and camera until closed. */
    public static SyntheticParticipant participant(SfuNode node, String call, String name) throws Exception {
        return SyntheticParticipant.join(URI.create("http://127.0.0.1:" + node.httpPort()),
                TestNodes.token(call, name), call, name, true, true, false);
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code seconds} pass. */
    public static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, seconds, condition);
    }

    /** As {@link #await(String, int, BooleanSupplier)}, describing the state at the time out. */
    public static void await(java.util.function.Supplier<String> what, int seconds, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting until " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
